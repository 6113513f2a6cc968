package userpool

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// captureBody returns an option function for one call that keeps the raw
// body of its response in *dst (the last attempt's) and hands the
// operation's deserializer a fresh copy.
func captureBody(dst *[]byte) func(*cip.Options) {
	capture := middleware.DeserializeMiddlewareFunc("cognitrigCaptureBody", func(
		ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler,
	) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		resp, ok := out.RawResponse.(*smithyhttp.Response)
		if err != nil || !ok || resp.Body == nil {
			return out, md, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return out, md, fmt.Errorf("read the response: %w", err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		*dst = b
		return out, md, nil
	})
	return func(o *cip.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			// Last in the deserialize step: next to the transport, under the
			// operation's deserializer.
			return s.Deserialize.Add(capture, middleware.After)
		})
	}
}

// unknownMembers lists the members of the UserPool object in a raw
// DescribeUserPool response body that types.UserPoolType, or the type of a
// member at any depth, has no field for: each is a path from the pool, such
// as "FutureSetting", "EmailConfiguration.FutureOption" or
// "SchemaAttributes[].FutureFlag" (a list's elements share "[]"). A map
// (UserPoolTags) is data: its keys are not members. An empty body (a
// client that did not run captureBody) has none.
func unknownMembers(body []byte) ([]string, error) {
	if len(body) == 0 {
		return nil, nil
	}
	var resp struct {
		UserPool json.RawMessage
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("cannot read the raw response to check it for members this build cannot represent: %w", err)
	}
	unknown := unknownIn("", resp.UserPool, reflect.TypeFor[types.UserPoolType]())
	slices.Sort(unknown)
	return slices.Compact(unknown), nil
}

// timeType is read from a number: it has no members.
var timeType = reflect.TypeFor[time.Time]()

// unknownIn lists the members of the JSON value raw, at path, that type t
// has no field for, and those of its nested objects and lists. A value
// that does not have t's shape (null, or one the SDK failed to read) is
// left to the SDK.
func unknownIn(path string, raw json.RawMessage, t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var unknown []string
	switch {
	case t == timeType:
	case t.Kind() == reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return nil
		}
		for key, v := range obj {
			member := key
			if path != "" {
				member = path + "." + key
			}
			f, ok := t.FieldByName(key)
			if !ok || !f.IsExported() {
				unknown = append(unknown, member)
				continue
			}
			unknown = append(unknown, unknownIn(member, v, f.Type)...)
		}
	case t.Kind() == reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		for _, item := range items {
			unknown = append(unknown, unknownIn(path+"[]", item, t.Elem())...)
		}
	case t.Kind() == reflect.Map:
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return nil
		}
		for _, v := range m {
			unknown = append(unknown, unknownIn(path+"[*]", v, t.Elem())...)
		}
	}
	return unknown
}
