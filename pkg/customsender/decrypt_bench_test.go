package customsender

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"

	"github.com/cognitrig/cognitrig/pkg/customsender/customsendertest"
)

// benchKeyARN is the KMS key of the decryption benchmarks; no KMS ever
// sees it.
const benchKeyARN = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000bec"

// BenchmarkDecryptESDK measures KMSDecrypter.Decrypt on real AWS
// Encryption SDK messages, of the two kinds a custom sender may get: the
// committing suite 0x0578 (message format 2, that of the fixtures under
// events/) and the legacy suite 0x0378 (format 1, without key commitment),
// both signed with ECDSA P-384, with an encryption context naming a user
// pool as Cognito's has. Nothing leaves the process, in two ways:
//
//   - raw-aes: the decrypter's Encryption SDK client and checks, with a
//     raw AES-256 keyring in place of the KMS keyring. This is the cost of
//     the decryption itself, without any KMS call.
//   - kms-inprocess: the decrypter as NewKMSDecrypter builds it, KMS
//     keyring and SDK client included, whose HTTP client answers
//     GenerateDataKey and Decrypt in memory. This adds the cost of one KMS
//     call on the function's side (request building, SigV4 signing,
//     response parsing) to the above, but not the round trip to KMS, which
//     a deployed function waits for besides.
func BenchmarkDecryptESDK(b *testing.B) {
	suites := []struct {
		name   string
		suite  customsendertest.Suite
		policy mpltypes.ESDKCommitmentPolicy // to encrypt with the raw keyring
		want   string                        // the first bytes of the message
	}{
		{"committing-0x0578", customsendertest.Committing, mpltypes.ESDKCommitmentPolicyRequireEncryptRequireDecrypt, "\x02\x05\x78"},
		{"legacy-0x0378", customsendertest.Legacy, mpltypes.ESDKCommitmentPolicyForbidEncryptAllowDecrypt, "\x01\x80\x03\x78"},
	}
	for _, s := range suites {
		b.Run(s.name+"/raw-aes", func(b *testing.B) {
			dec, code := benchRawAES(b, s.policy)
			benchDecrypt(b, dec, code, s.want, nil)
		})
		b.Run(s.name+"/kms-inprocess", func(b *testing.B) {
			fake := &benchKMS{keyARN: benchKeyARN}
			client := kms.New(kms.Options{
				Region:      "us-east-1",
				Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCHMARK", "bench-secret", ""),
				HTTPClient:  fake,
			})
			code := customsendertest.Encrypt(b, client, benchKeyARN, benchPool, benchPlain, s.suite)
			dec, err := NewKMSDecrypter(client, benchKeyARN)
			if err != nil {
				b.Fatal(err)
			}
			benchDecrypt(b, dec, code, s.want, func(n int) {
				if got := fake.count("Decrypt"); got != n {
					b.Fatalf("%d KMS Decrypt calls for %d decryptions, want one each", got, n)
				}
			})
		})
	}
}

// benchPlain is the code the benchmarks encrypt.
const benchPlain = "918273"

// benchPool is the user pool the benchmark codes are encrypted for.
const benchPool = "us-east-1_EXAMPLE01"

// benchDecrypt runs the benchmark of dec on code, a message whose first
// bytes must be head. check, when set, checks what n decryptions did.
func benchDecrypt(b *testing.B, dec *KMSDecrypter, code, head string, check func(n int)) {
	b.Helper()
	ct, err := base64.StdEncoding.DecodeString(code)
	if err != nil || !bytes.HasPrefix(ct, []byte(head)) {
		b.Fatalf("the message starts with % x, want % x", ct[:min(len(ct), len(head))], head)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Check once that the message decrypts, so that the loop cannot
	// measure an error path.
	plain, err := dec.Decrypt(ctx, code, benchPool)
	if err != nil || plain != benchPlain {
		b.Fatalf("Decrypt = %d bytes, %v; want the code", len(plain), err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(code)))
	n := 1
	for b.Loop() {
		if _, err := dec.Decrypt(ctx, code, benchPool); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if check != nil {
		check(n)
	}
}

// benchRawAES returns a decrypter configured as NewKMSDecrypter configures
// one, but for its raw AES keyring, and a code encrypted with that keyring
// under policy.
func benchRawAES(b *testing.B, policy mpltypes.ESDKCommitmentPolicy) (*KMSDecrypter, string) {
	b.Helper()
	ctx := context.Background()
	providers, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		b.Fatal(err)
	}
	keyring, err := providers.CreateRawAesKeyring(ctx, mpltypes.CreateRawAesKeyringInput{
		KeyName: "bench", KeyNamespace: "cognitrig", WrappingAlg: mpltypes.AesWrappingAlgAlgAes256GcmIv12Tag16, WrappingKey: bytes.Repeat([]byte{7}, 32),
	})
	if err != nil {
		b.Fatal(err)
	}
	encrypter, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy})
	if err != nil {
		b.Fatal(err)
	}
	out, err := encrypter.Encrypt(ctx, esdktypes.EncryptInput{
		Plaintext:         []byte(benchPlain),
		Keyring:           keyring,
		EncryptionContext: map[string]string{PoolContextKey: benchPool},
	})
	if err != nil {
		b.Fatalf("encrypt: %v", err)
	}
	decPolicy := mpltypes.ESDKCommitmentPolicyRequireEncryptAllowDecrypt
	maxKeys := int64(MaxEncryptedDataKeys)
	client, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &decPolicy, MaxEncryptedDataKeys: &maxKeys})
	if err != nil {
		b.Fatal(err)
	}
	dec := &KMSDecrypter{keyARN: "raw-aes", client: client, keyring: keyring, turn: make(chan struct{}, 1)}
	return dec, base64.StdEncoding.EncodeToString(out.Ciphertext)
}

// benchKMS is the HTTP client of an in-process KMS that knows one key:
// GenerateDataKey returns a random data key, "encrypted" as itself behind
// a prefix, and Decrypt returns the data key of such a blob. It counts the
// calls of each operation.
type benchKMS struct {
	keyARN string

	mu    sync.Mutex
	calls map[string]int
}

const benchBlobPrefix = "bench-kms-blob:"

func (f *benchKMS) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// Do answers one request of the KMS JSON 1.1 protocol.
func (f *benchKMS) Do(r *http.Request) (*http.Response, error) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "TrentService.")
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[op]++
	f.mu.Unlock()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var in struct {
		KeyID          string `json:"KeyId"`
		NumberOfBytes  int
		CiphertextBlob []byte
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return benchKMSError(r, "SerializationException", err.Error()), nil
	}
	if in.KeyID != f.keyARN {
		return benchKMSError(r, "NotFoundException", fmt.Sprintf("key %q does not exist", in.KeyID)), nil
	}
	var out any
	switch op {
	case "GenerateDataKey":
		key := make([]byte, in.NumberOfBytes)
		_, _ = rand.Read(key)
		out = map[string]any{"KeyId": f.keyARN, "Plaintext": key, "CiphertextBlob": append([]byte(benchBlobPrefix), key...)}
	case "Decrypt":
		key, ok := bytes.CutPrefix(in.CiphertextBlob, []byte(benchBlobPrefix))
		if !ok {
			return benchKMSError(r, "InvalidCiphertextException", "not a blob of this fake"), nil
		}
		out = map[string]any{"KeyId": f.keyARN, "Plaintext": key, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}
	default:
		return benchKMSError(r, "UnknownOperationException", op+" is not served here"), nil
	}
	return benchKMSResponse(r, http.StatusOK, out), nil
}

func benchKMSError(r *http.Request, typ, msg string) *http.Response {
	return benchKMSResponse(r, http.StatusBadRequest, map[string]string{"__type": typ, "message": msg})
}

func benchKMSResponse(r *http.Request, status int, v any) *http.Response {
	body, _ := json.Marshal(v)
	return &http.Response{
		StatusCode:    status,
		Status:        http.StatusText(status),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"bench"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}
}

var _ aws.HTTPClient = (*benchKMS)(nil)
