package userpool

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"

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

// unknownMembers lists the members of the LambdaConfig in a raw
// DescribeUserPool response body that types.LambdaConfigType, or the type
// of one of its members, has no field for. An empty body (a client that
// did not run captureBody) has none.
func unknownMembers(body []byte) ([]string, error) {
	if len(body) == 0 {
		return nil, nil
	}
	var resp struct {
		UserPool struct {
			LambdaConfig map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("cannot read the raw response to check its LambdaConfig for members this build cannot represent: %w", err)
	}
	unknown := unknownKeys("", resp.UserPool.LambdaConfig, reflect.TypeFor[types.LambdaConfigType]())
	slices.Sort(unknown)
	return unknown, nil
}

// unknownKeys lists the keys of obj that struct type t has no exported
// field for, and those of the nested objects that t's struct members have
// none for, each prefixed with prefix.
func unknownKeys(prefix string, obj map[string]json.RawMessage, t reflect.Type) []string {
	var unknown []string
	for key, raw := range obj {
		f, ok := t.FieldByName(key)
		if !ok || !f.IsExported() {
			unknown = append(unknown, prefix+key)
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() != reflect.Struct {
			continue
		}
		var nested map[string]json.RawMessage
		if json.Unmarshal(raw, &nested) == nil {
			unknown = append(unknown, unknownKeys(prefix+key+".", nested, ft)...)
		}
	}
	return unknown
}
