package passwordlesscore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// handlers wraps a Flow in the three trigger handlers. Messages go to
// outbox, which stands in for SES and SNS.
func handlers(flow *passwordlesscore.Flow, outbox *[]passwordlesscore.Delivery, opts ...trigger.Option) (define, create, verify *trigger.Handler) {
	define = trigger.DefineAuthChallenge(func(ctx context.Context, ev *trigger.DefineAuthChallengeEvent) error {
		d := flow.Define(ev)
		trigger.Logger(ctx).Info("define", "decision", d)
		d.Apply(&ev.Response)
		return nil
	}, opts...)
	create = trigger.CreateAuthChallenge(func(ctx context.Context, ev *trigger.CreateAuthChallengeEvent) error {
		d, err := flow.Create(ev)
		if err != nil {
			return err // a trigger.Denial reaches the user; anything else is internal
		}
		if d.Delivery != nil {
			*outbox = append(*outbox, *d.Delivery) // send it; fail on a delivery error
		}
		trigger.Logger(ctx).Info("create", "decision", d)
		d.Apply(&ev.Response)
		return nil
	}, opts...)
	verify = trigger.VerifyAuthChallenge(func(ctx context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
		d := flow.Verify(ev)
		trigger.Logger(ctx).Info("verify", "decision", d)
		d.Apply(&ev.Response)
		return nil
	}, opts...)
	return define, create, verify
}

// load decodes an event fixture.
func load[E any](path string) *E {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	ev := new(E)
	if err := json.Unmarshal(b, ev); err != nil {
		panic(err)
	}
	return ev
}

// invoke runs h on ev through the JSON path Lambda uses and decodes the
// answer.
func invoke[E any](h lambda.Handler, ev *E) *E {
	payload, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	out, err := triggertest.Invoke(h, payload)
	if err != nil {
		panic(err)
	}
	res := new(E)
	if err := json.Unmarshal(out, res); err != nil {
		panic(err)
	}
	return res
}

// The three triggers of a sign-in by email code, through the adapter, on
// the sample events: define starts a custom challenge, create sends a code
// and shows the client where, verify accepts the code from the message,
// and define issues tokens.
func Example() {
	flow, err := passwordlesscore.New(passwordlesscore.DefaultFlowConfig())
	if err != nil {
		panic(err)
	}
	var outbox []passwordlesscore.Delivery
	define, create, verify := handlers(flow, &outbox, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)))

	// InitiateAuth: define, then create.
	d := invoke(define, load[trigger.DefineAuthChallengeEvent](eventsDir+"/defineauth/DefineAuthChallenge_Authentication.first-round.json"))
	fmt.Println("define:", d.Response.ChallengeName)
	c := invoke(create, load[trigger.CreateAuthChallengeEvent](eventsDir+"/createauth/CreateAuthChallenge_Authentication.json"))
	fmt.Println("client sees:", c.Response.PublicChallengeParameters)
	fmt.Println("sent:", outbox[0].Channel, len(outbox[0].Code), "digits")

	// RespondToAuthChallenge with the code: verify, then define.
	v := load[trigger.VerifyAuthChallengeEvent](eventsDir + "/verifyauth/VerifyAuthChallengeResponse_Authentication.json")
	v.Request.PrivateChallengeParameters = c.Response.PrivateChallengeParameters
	v.Request.ChallengeAnswer = outbox[0].Code
	v = invoke(verify, v)
	fmt.Println("verify:", *v.Response.AnswerCorrect)

	d = load[trigger.DefineAuthChallengeEvent](eventsDir + "/defineauth/DefineAuthChallenge_Authentication.right-answer.json")
	d.Request.Session[0].ChallengeMetadata = string(c.Response.ChallengeMetadata)
	d = invoke(define, d)
	fmt.Println("define: issue tokens", *d.Response.IssueTokens)
	// Output:
	// define: CUSTOM_CHALLENGE
	// client sees: map[channel:email codeLength:6 destination:j***@e***.com]
	// sent: email 6 digits
	// verify: true
	// define: issue tokens true
}

// adapterPayloads returns the JSON of a define event whose last round was
// answered correctly, and of the verify event of that answer.
func adapterPayloads(b *testing.B, create *trigger.Handler, outbox *[]passwordlesscore.Delivery) (define, verify []byte) {
	c := invoke(create, load[trigger.CreateAuthChallengeEvent](eventsDir+"/createauth/CreateAuthChallenge_Authentication.json"))
	d := load[trigger.DefineAuthChallengeEvent](eventsDir + "/defineauth/DefineAuthChallenge_Authentication.right-answer.json")
	d.Request.Session[0].ChallengeMetadata = string(c.Response.ChallengeMetadata)
	v := load[trigger.VerifyAuthChallengeEvent](eventsDir + "/verifyauth/VerifyAuthChallengeResponse_Authentication.json")
	v.Request.PrivateChallengeParameters = c.Response.PrivateChallengeParameters
	v.Request.ChallengeAnswer = (*outbox)[len(*outbox)-1].Code
	var err error
	if define, err = json.Marshal(d); err != nil {
		b.Fatal(err)
	}
	if verify, err = json.Marshal(v); err != nil {
		b.Fatal(err)
	}
	return define, verify
}

// benchAdapter measures one handler through the whole adapter path:
// decode, budget, handler, response check, encode and the log line (to a
// discarding handler at level Info).
func benchAdapter(b *testing.B, which string) {
	flow, err := passwordlesscore.New(passwordlesscore.DefaultFlowConfig())
	if err != nil {
		b.Fatal(err)
	}
	var outbox []passwordlesscore.Delivery
	define, create, verify := handlers(flow, &outbox, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)))
	definePayload, verifyPayload := adapterPayloads(b, create, &outbox)
	h, payload := map[string]*trigger.Handler{"define": define, "create": create, "verify": verify}[which],
		map[string][]byte{"define": definePayload, "create": triggertest.Load(b, eventsDir+"/createauth/CreateAuthChallenge_Authentication.json"), "verify": verifyPayload}[which]
	ctx, cancel := triggertest.Context(1 << 40)
	defer cancel()
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
		outbox = outbox[:0]
	}
}

func BenchmarkAdapterDefine(b *testing.B) { benchAdapter(b, "define") }

// BenchmarkAdapterCreate is create without sending: a first round.
func BenchmarkAdapterCreate(b *testing.B) { benchAdapter(b, "create") }

func BenchmarkAdapterVerify(b *testing.B) { benchAdapter(b, "verify") }
