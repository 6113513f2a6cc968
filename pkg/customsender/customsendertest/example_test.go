package customsendertest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/customsendertest"
)

// fakeKMS is the HTTP client of a kms.Client that answers CreateKey,
// GenerateDataKey and Decrypt in memory, in place of moto_server: nothing
// leaves the process. It "encrypts" a data key as the key itself behind a
// prefix, which is only good for a test.
type fakeKMS struct{}

const fakeKeyARN = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-0000000000e1"

func (fakeKMS) Do(r *http.Request) (*http.Response, error) {
	var in struct {
		NumberOfBytes  int
		CiphertextBlob []byte
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return nil, err
	}
	var out any
	switch strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "TrentService.") {
	case "CreateKey":
		out = map[string]any{"KeyMetadata": map[string]any{"KeyId": fakeKeyARN, "Arn": fakeKeyARN}}
	case "GenerateDataKey":
		key := make([]byte, in.NumberOfBytes)
		rand.Read(key)
		out = map[string]any{"KeyId": fakeKeyARN, "Plaintext": key, "CiphertextBlob": append([]byte("fake:"), key...)}
	case "Decrypt":
		out = map[string]any{"KeyId": fakeKeyARN, "Plaintext": bytes.TrimPrefix(in.CiphertextBlob, []byte("fake:"))}
	}
	body, _ := json.Marshal(out)
	return &http.Response{StatusCode: http.StatusOK, Request: r, Body: io.NopCloser(bytes.NewReader(body)),
		Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}}}, nil
}

// exampleT stands in for the *testing.T that a test passes and an Example
// does not get. CreateKey and Encrypt call only the methods below; any
// other method of testing.TB panics.
type exampleT struct{ testing.TB }

func (exampleT) Helper()                           {}
func (exampleT) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

// A test of a custom sender trigger encrypts a code the way Cognito does
// for the pool, puts it in the event's request.code, and lets the
// function decrypt it with the pool's key. The code itself is never
// printed: the example only compares it.
func Example() {
	t := exampleT{} // in a test: the *testing.T
	// Against moto_server: kms.NewFromConfig(mototest.Config(endpoint)).
	client := kms.New(kms.Options{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		HTTPClient:  fakeKMS{},
	})
	const pool, code = "us-east-1_EXAMPLE01", "135790"

	keyARN := customsendertest.CreateKey(t, client)
	encrypted := customsendertest.Encrypt(t, client, keyARN, pool, code, customsendertest.Committing)
	message, err := customsender.DecodeCiphertext(encrypted)
	fmt.Println("message format:", message[0], err)

	decrypter, err := customsender.NewKMSDecrypter(client, keyARN)
	if err != nil {
		fmt.Println(err)
		return
	}
	plain, err := decrypter.Decrypt(context.Background(), encrypted, pool)
	fmt.Println("decrypts to the code:", plain == code, err)
	_, err = decrypter.Decrypt(context.Background(), encrypted, "us-east-1_OTHER0001")
	fmt.Println("for another pool:", err)
	// Output:
	// message format: 2 <nil>
	// decrypts to the code: true <nil>
	// for another pool: decrypt the code: it was encrypted for user pool us-east-1_EXAMPLE01, not for us-east-1_OTHER0001, the pool of the event; refused (is the KMS key shared with another pool?)
}
