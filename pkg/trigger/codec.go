package trigger

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// The adapter decodes with github.com/go-json-experiment/json, the
// prototype of the standard library's encoding/json/v2, which reads an
// event in one pass and reuses the strings it saw in earlier events of the
// same process (attribute names, the pool ID, the client ID...). Its
// semantics are stricter than encoding/json's, which suits events that
// come from Cognito: member names match exactly (not case-insensitively),
// and a duplicate member name or invalid UTF-8 makes the event invalid.
//
// It encodes only the response, as encoding/json would, and writes into
// the payload, in place of the response that came in, what the handler
// changed of it (merge.go): everything else goes back to Cognito byte for
// byte, including members this package does not know.

// decoder is the per-invocation decoding state, pooled: a Lambda process
// handles one event at a time, so it reuses one decoder (and its string
// cache) from event to event.
type decoder struct {
	buf bytes.Buffer
	dec *jsontext.Decoder
}

var decoders = sync.Pool{New: func() any {
	d := new(decoder)
	d.dec = jsontext.NewDecoder(&d.buf)
	return d
}}

// getDecoder returns a pooled decoder reading payload; give it back with
// release.
func getDecoder(payload []byte) *decoder {
	d := decoders.Get().(*decoder)
	d.buf.Reset()
	d.buf.Write(payload)
	d.dec.Reset(&d.buf)
	return d
}

func (d *decoder) release() {
	d.buf.Reset()
	decoders.Put(d)
}

// layout is what decodeEvent learned of where things are in a payload.
type layout struct {
	// request reports whether the event has a request object (not null).
	request bool
	// respStart and respEnd delimit the value of the top-level "response"
	// member; respStart is -1 when there is none.
	respStart, respEnd int
	// end is the offset of the top-level object's closing brace.
	end int
}

// errNotObject is returned for a payload that is not a JSON object.
var errNotObject = errors.New("the event is not a JSON object")

// decodeEvent decodes payload into the header, request and response of an
// event (resp is nil for events without a response). It stops at the first
// error and describes it without repeating any value of the payload.
func decodeEvent(payload []byte, hd *Header, req, resp any) (layout, error) {
	return decodeEventKnown(payload, hd, req, resp, "")
}

// decodeEventKnown is decodeEvent for a resp that is the zero value, and
// zeroResp a response that decodes to the zero value ("" if unknown): a
// response of those bytes is not decoded again.
func decodeEventKnown(payload []byte, hd *Header, req, resp any, zeroResp string) (layout, error) {
	lay := layout{respStart: -1}
	if strings.HasPrefix(string(payload), byteOrderMark) {
		return lay, errByteOrderMark
	}
	d := getDecoder(payload)
	defer d.release()
	dec := d.dec
	if err := openObject(dec); err != nil {
		return lay, err
	}
	for dec.PeekKind() != '}' {
		name, err := readName(dec)
		if err != nil {
			return lay, err
		}
		var into any
		switch string(name) {
		case "version":
			into = &hd.Version
		case "triggerSource":
			into = &hd.TriggerSource
		case "region":
			into = &hd.Region
		case "userPoolId":
			into = &hd.UserPoolID
		case "userName":
			into = &hd.UserName
		case "callerContext":
			into = &hd.CallerContext
		case "request":
			lay.request = dec.PeekKind() == '{'
			into = req
		case "response":
			if resp == nil {
				break
			}
			v, err := dec.ReadValue()
			if err != nil {
				return lay, describeDecodeError(err)
			}
			lay.respEnd = int(dec.InputOffset())
			lay.respStart = lay.respEnd - len(v)
			if zeroResp != "" && string(v) == zeroResp {
				continue
			}
			if err := jsonv2.Unmarshal(v, resp); err != nil {
				return lay, describeDecodeError(err)
			}
			continue
		}
		if into == nil && resp != nil && len(name) == len("response") && strings.EqualFold(string(name), "response") {
			// Everything but the response goes back as it came: a
			// "Response" would reach Cognito next to ours, for a reader
			// that ignores case to take instead.
			return lay, fmt.Errorf("the top-level member %q differs from \"response\" only in case; Cognito sends \"response\" alone", clip(string(name)))
		}
		if into == nil {
			if err := dec.SkipValue(); err != nil {
				return lay, describeDecodeError(err)
			}
			continue
		}
		if err := jsonv2.UnmarshalDecode(dec, into); err != nil {
			return lay, describeDecodeError(err)
		}
	}
	if err := nextError(dec); err != nil {
		return lay, err
	}
	if _, err := dec.ReadToken(); err != nil {
		return lay, describeDecodeError(err)
	}
	lay.end = int(dec.InputOffset()) - 1
	if _, err := dec.ReadToken(); err != io.EOF {
		return lay, errors.New("unexpected data after the top-level object")
	}
	return lay, nil
}

// errByteOrderMark is returned for a payload that starts with a UTF-8
// byte-order mark, which JSON texts sent to Lambda never have: a file saved
// with one (some editors and .NET tools add it) must be saved without.
var errByteOrderMark = errors.New("the event starts with a UTF-8 byte-order mark, which Cognito never sends; save the file without it")

// byteOrderMark is the UTF-8 encoding of U+FEFF.
const byteOrderMark = "\xef\xbb\xbf"

// openObject reads the opening brace of the top-level object.
func openObject(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '{' {
		return errNotObject
	}
	if _, err := dec.ReadToken(); err != nil {
		return describeDecodeError(err)
	}
	return nil
}

// nextError describes what is wrong with the next token, if anything:
// PeekKind reports an invalid token as kind 0, and ReadToken says why.
func nextError(dec *jsontext.Decoder) error {
	if dec.PeekKind() != 0 {
		return nil
	}
	_, err := dec.ReadToken()
	return describeDecodeError(err)
}

// readName reads an object member's name, unquoted. It allocates only
// for a name with escapes, which Cognito does not send.
func readName(dec *jsontext.Decoder) ([]byte, error) {
	name, err := dec.ReadValue()
	if err != nil {
		return nil, describeDecodeError(err)
	}
	if bytes.IndexByte(name, '\\') < 0 {
		return name[1 : len(name)-1], nil
	}
	if name, err = jsontext.AppendUnquote(nil, name); err != nil {
		return nil, describeDecodeError(err)
	}
	return name, nil
}

// describeDecodeError says what is wrong with a payload without repeating
// its values: the library's messages may quote them.
func describeDecodeError(err error) error {
	if err == nil {
		return errors.New("the event cannot be decoded")
	}
	var se *jsontext.SyntacticError
	var te *jsonv2.SemanticError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: the event ends early")
	case errors.As(err, &se):
		switch {
		case errors.Is(se.Err, jsontext.ErrDuplicateName):
			return fmt.Errorf("malformed JSON at byte %d: duplicate member name at %s", se.ByteOffset, where(string(se.JSONPointer)))
		case errors.Is(se.Err, io.ErrUnexpectedEOF):
			return errors.New("malformed JSON: the event ends early")
		case se.Err != nil && strings.Contains(se.Err.Error(), "UTF-8"):
			return fmt.Errorf("malformed JSON at byte %d: invalid UTF-8", se.ByteOffset)
		}
		return fmt.Errorf("malformed JSON at byte %d", se.ByteOffset)
	case errors.As(err, &te):
		var ae *attributeKindError
		if errors.As(te.Err, &ae) {
			// Attributes read their object whole: the pointer ends at it.
			field := where(string(te.JSONPointer))
			if ae.name != "" {
				field += "." + clip(ae.name)
			}
			return fmt.Errorf("field %s is a JSON %s, want %s", field, kindName(ae.kind), ae.want())
		}
		if te.JSONKind == 0 || te.GoType == nil {
			return fmt.Errorf("the value at %s cannot be decoded", where(string(te.JSONPointer)))
		}
		return fmt.Errorf("field %s is a JSON %s, want %s", where(string(te.JSONPointer)), kindName(te.JSONKind), te.GoType)
	}
	return errors.New("the event cannot be decoded")
}

// where names the member a JSON pointer designates, relative to the
// top-level member being decoded, for an error message.
func where(ptr string) string {
	if ptr == "" {
		return "(top level)"
	}
	return clip(strings.ReplaceAll(strings.TrimPrefix(ptr, "/"), "/", "."))
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

// encodeOptions make the library encode as encoding/json does (nil maps
// and slices as null, as Cognito expects; HTML characters escaped; map
// members sorted, so that equal values encode to equal bytes). The string
// maps of responses (challenge parameters, claims) are written by
// marshalStringMap.
var encodeOptions = jsonv2.JoinOptions(jsonv1.DefaultOptionsV1(), jsonv2.WithMarshalers(jsonv2.MarshalToFunc(marshalStringMap)))

// marshalStringMap writes a map[string]string as the options above write
// it through reflection, null when nil and members sorted by name, in a
// third of the time: the encoder escapes each string under the same
// options. TestMarshalStringMap and FuzzMarshalStringMap compare the two.
func marshalStringMap(enc *jsontext.Encoder, m map[string]string) error {
	if m == nil {
		return enc.WriteToken(jsontext.Null)
	}
	var buf [16]string
	names := buf[:0]
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	for _, k := range names {
		if err := enc.WriteToken(jsontext.String(k)); err != nil {
			return err
		}
		if err := enc.WriteToken(jsontext.String(m[k])); err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndObject)
}

// encodeResponse encodes a response as the adapter sends it, or returns
// nil for an event without one.
func encodeResponse(resp any) ([]byte, error) {
	if resp == nil {
		return nil, nil
	}
	return jsonv2.Marshal(resp, encodeOptions)
}

// encodeEvent returns payload with the response the handler left in resp,
// given that resp encoded as before when it was decoded. What the handler
// did not change goes back as it came (see merge.go); an event whose
// response the handler left alone, or without a response, is payload
// itself.
func encodeEvent(payload []byte, lay layout, before []byte, resp any) ([]byte, error) {
	if resp == nil {
		return payload, nil
	}
	after, err := encodeResponse(resp)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(before, after) {
		return payload, nil
	}
	if lay.respStart < 0 {
		// No response member: add one before the closing brace.
		head := bytes.TrimRight(payload[:lay.end], " \t\r\n")
		out := make([]byte, 0, len(payload)+len(after)+16)
		out = append(out, head...)
		if head[len(head)-1] != '{' {
			out = append(out, ',')
		}
		out = append(out, `"response":`...)
		out = append(out, after...)
		return append(out, payload[lay.end:]...), nil
	}
	out := make([]byte, 0, len(payload)+len(after))
	out = append(out, payload[:lay.respStart]...)
	if out, err = mergeValue(out, payload[lay.respStart:lay.respEnd], before, after, ""); err != nil {
		return nil, err
	}
	return append(out, payload[lay.respEnd:]...), nil
}

// head is what a router reads of an event before choosing its handler.
type head struct {
	source, version string
}

// readHead reads the top-level triggerSource and version of an event and
// stops as soon as it has both: Cognito sends them first, so a router reads
// a few dozen bytes. A member that is not a string reads as "". The handler
// then decodes the whole event, and refuses it if anything is wrong with
// the rest (duplicate members included).
func readHead(payload []byte) (head, error) {
	var h head
	var haveSource, haveVersion bool
	if strings.HasPrefix(string(payload), byteOrderMark) {
		return h, errByteOrderMark
	}
	d := getDecoder(payload)
	defer d.release()
	dec := d.dec
	if err := openObject(dec); err != nil {
		return h, err
	}
	for !(haveSource && haveVersion) && dec.PeekKind() != '}' {
		name, err := readName(dec)
		if err != nil {
			return h, err
		}
		var into *string
		switch string(name) {
		case "triggerSource":
			into, haveSource = &h.source, true
		case "version":
			into, haveVersion = &h.version, true
		}
		if into == nil || dec.PeekKind() != '"' {
			if err := dec.SkipValue(); err != nil {
				return h, describeDecodeError(err)
			}
			continue
		}
		v, err := dec.ReadToken()
		if err != nil {
			return h, describeDecodeError(err)
		}
		*into = v.String()
	}
	if err := nextError(dec); err != nil {
		return h, err
	}
	return h, nil
}

// Unmarshal decodes payload into ev the way the adapter decodes an event
// before calling a handler: member names match exactly, a duplicate member
// or invalid UTF-8 makes the event invalid, and attributes take JSON
// booleans and numbers ([Attributes]). Its errors are the adapter's, and
// repeat no value of the payload. ev must point to an event type of this
// package, such as *PreSignUpEvent. It does not check that the trigger
// source belongs to ev's trigger: a [Handler] does.
//
// Tests decode fixtures with it (package triggertest does), so that a
// fixture that passes a test decodes the same way in Lambda.
func Unmarshal(payload []byte, ev Event) error {
	e, ok := ev.(event)
	if !ok {
		return fmt.Errorf("trigger: cannot decode into %T: it is not an event type of package trigger", ev)
	}
	req, resp := e.parts()
	_, err := decodeEvent(payload, ev.EventHeader(), req, resp)
	return err
}
