package triggertest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// The JSON the simulator sends. These types spell out Cognito's shapes
// exactly, nulls and absent members included, rather than reuse the typed
// events of package trigger, which normalize them.

type eventHeader struct {
	Version       string                `json:"version"`
	TriggerSource trigger.Source        `json:"triggerSource"`
	Region        string                `json:"region"`
	UserPoolID    string                `json:"userPoolId"`
	UserName      string                `json:"userName"`
	CallerContext trigger.CallerContext `json:"callerContext"`
}

type event struct {
	eventHeader
	Request  any             `json:"request"`
	Response json.RawMessage `json:"response"`
}

// sessionEntry is one entry of the session; a challengeMetadata that
// create did not set is null.
type sessionEntry struct {
	ChallengeName     string  `json:"challengeName"`
	ChallengeResult   bool    `json:"challengeResult"`
	ChallengeMetadata *string `json:"challengeMetadata"`
}

// The requests. ClientMetadata is absent unless the client sent some, which
// it can only do with RespondToAuthChallenge.

type defineRequest struct {
	UserAttributes map[string]string  `json:"userAttributes"`
	Session        []sessionEntry     `json:"session"`
	ClientMetadata *map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   bool               `json:"userNotFound"`
}

type createRequest struct {
	UserAttributes map[string]string  `json:"userAttributes"`
	ChallengeName  string             `json:"challengeName"`
	Session        []sessionEntry     `json:"session"`
	ClientMetadata *map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   bool               `json:"userNotFound"`
}

type verifyRequest struct {
	UserAttributes             map[string]string  `json:"userAttributes"`
	PrivateChallengeParameters map[string]string  `json:"privateChallengeParameters"`
	ChallengeAnswer            string             `json:"challengeAnswer"`
	ClientMetadata             *map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound               bool               `json:"userNotFound"`
}

// The responses as Cognito sends them: every member null.
const (
	emptyDefineResponse = `{"challengeName":null,"issueTokens":null,"failAuthentication":null}`
	emptyCreateResponse = `{"publicChallengeParameters":null,"privateChallengeParameters":null,"challengeMetadata":null}`
	emptyVerifyResponse = `{"answerCorrect":null}`
)

// headerMembers are the members of the header, which a trigger must return
// unchanged.
var headerMembers = []string{"version", "triggerSource", "region", "userPoolId", "userName", "callerContext"}

// wholeEvent checks that out is the whole event sent with header hd: a JSON
// object with the same header members, a request object and a response
// object. It returns the response's members, or why out is not usable.
// Member names match exactly, as they do for Cognito (encoding/json alone
// would match them without regard to case).
func wholeEvent(hd eventHeader, out []byte) (map[string]json.RawMessage, string) {
	var got map[string]json.RawMessage
	if err := json.Unmarshal(out, &got); err != nil || got == nil {
		return nil, fmt.Sprintf("the output is a JSON %s, not the event object", jsonKind(out))
	}
	sent, err := json.Marshal(hd)
	if err != nil {
		return nil, "the header cannot be encoded"
	}
	var want map[string]json.RawMessage
	if err := json.Unmarshal(sent, &want); err != nil {
		return nil, "the header cannot be decoded"
	}
	for _, name := range headerMembers {
		g, ok := got[name]
		if !ok {
			return nil, fmt.Sprintf("the output has no %s: return the whole event", name)
		}
		if !sameJSON(g, want[name]) {
			return nil, fmt.Sprintf("the output changed %s: return the whole event as it came", name)
		}
	}
	if k := jsonKind(got["request"]); k != "object" {
		return nil, fmt.Sprintf("the output's request is a JSON %s, want the request object", k)
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(got["response"], &resp); err != nil || resp == nil {
		return nil, fmt.Sprintf("the output's response is a JSON %s, want an object", jsonKind(got["response"]))
	}
	return resp, ""
}

// sameJSON reports whether two JSON values hold the same data.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// jsonKind names the kind of a JSON value without repeating it.
func jsonKind(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "nothing"
	}
	if !json.Valid(v) {
		return "malformed value"
	}
	switch v[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// boolField reads an optional boolean member: nil when absent or null.
func boolField(resp map[string]json.RawMessage, name string) (*bool, error) {
	v, ok := resp[name]
	if !ok || jsonKind(v) == "null" {
		return nil, nil
	}
	var b bool
	if jsonKind(v) != "boolean" || json.Unmarshal(v, &b) != nil {
		return nil, fmt.Errorf("response.%s is a JSON %s, want a boolean or null", name, jsonKind(v))
	}
	return &b, nil
}

// stringField reads an optional string member: nil when absent or null.
func stringField(resp map[string]json.RawMessage, name string) (*string, error) {
	v, ok := resp[name]
	if !ok || jsonKind(v) == "null" {
		return nil, nil
	}
	var s string
	if jsonKind(v) != "string" || json.Unmarshal(v, &s) != nil {
		return nil, fmt.Errorf("response.%s is a JSON %s, want a string or null", name, jsonKind(v))
	}
	return &s, nil
}

// mapField reads an optional object of strings: nil when absent or null.
func mapField(resp map[string]json.RawMessage, name string) (map[string]string, error) {
	v, ok := resp[name]
	if !ok || jsonKind(v) == "null" {
		return nil, nil
	}
	var m map[string]string
	if jsonKind(v) != "object" || json.Unmarshal(v, &m) != nil {
		return nil, fmt.Errorf("response.%s is not null or an object of strings", name)
	}
	return m, nil
}

// defineOutcome reads define's decision. Exactly one outcome must be set:
// a challenge name, issueTokens=true or failAuthentication=true.
func defineOutcome(resp map[string]json.RawMessage) (name string, issue, fail bool, err error) {
	n, err1 := stringField(resp, "challengeName")
	i, err2 := boolField(resp, "issueTokens")
	f, err3 := boolField(resp, "failAuthentication")
	if err := cmp.Or(err1, err2, err3); err != nil {
		return "", false, false, err
	}
	var set []string
	if n != nil && *n != "" {
		name = *n
		set = append(set, "challengeName")
	}
	if i != nil && *i {
		issue = true
		set = append(set, "issueTokens=true")
	}
	if f != nil && *f {
		fail = true
		set = append(set, "failAuthentication=true")
	}
	if len(set) != 1 {
		what := "none"
		if len(set) > 0 {
			what = strings.Join(set, ", ")
		}
		return "", false, false, fmt.Errorf("define auth challenge set %d outcomes (%s): want exactly one of challengeName, issueTokens=true or failAuthentication=true", len(set), what)
	}
	return name, issue, fail, nil
}

// createChallenge reads create's challenge.
func createChallenge(resp map[string]json.RawMessage) (public, private map[string]string, metadata *string, err error) {
	public, err1 := mapField(resp, "publicChallengeParameters")
	private, err2 := mapField(resp, "privateChallengeParameters")
	metadata, err3 := stringField(resp, "challengeMetadata")
	if err := cmp.Or(err1, err2, err3); err != nil {
		return nil, nil, nil, err
	}
	return public, private, metadata, nil
}
