package customsender

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
)

func TestRecentForgetsTheOldest(t *testing.T) {
	r := newRecent(3)
	key := func(i byte) [sha256.Size]byte { return [sha256.Size]byte{i} }
	for i := range byte(5) {
		r.add(key(i))
		r.add(key(i)) // a second add changes nothing
	}
	for i, want := range []bool{false, false, true, true, true} {
		if got := r.has(key(byte(i))); got != want {
			t.Errorf("has(%d) = %v, want %v", i, got, want)
		}
	}
}

// localDecrypter is a KMSDecrypter whose keyring is a raw AES key, so
// that the Encryption SDK's parsing can be fuzzed without KMS, and the
// ciphertext it decrypts.
func localDecrypter(tb testing.TB) (*KMSDecrypter, []byte) {
	tb.Helper()
	providers, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	keyring, err := providers.CreateRawAesKeyring(context.Background(), mpltypes.CreateRawAesKeyringInput{
		KeyName: "fuzz", KeyNamespace: "cognitrig", WrappingAlg: mpltypes.AesWrappingAlgAlgAes256GcmIv12Tag16, WrappingKey: bytes.Repeat([]byte{7}, 32),
	})
	if err != nil {
		tb.Fatal(err)
	}
	policy := mpltypes.ESDKCommitmentPolicyRequireEncryptAllowDecrypt
	maxKeys := int64(MaxEncryptedDataKeys)
	client, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy, MaxEncryptedDataKeys: &maxKeys})
	if err != nil {
		tb.Fatal(err)
	}
	out, err := client.Encrypt(context.Background(), esdktypes.EncryptInput{Plaintext: []byte("918273"), Keyring: keyring})
	if err != nil {
		tb.Fatal(err)
	}
	return &KMSDecrypter{keyARN: "raw-aes", client: client, keyring: keyring, turn: make(chan struct{}, 1)}, out.Ciphertext
}

// FuzzDecrypt feeds mutated messages to the Encryption SDK through
// Decrypt: a message is decrypted to the code or refused with an error,
// never with a panic that escapes, and an error never shows the code.
//
//	go test ./pkg/customsender -run '^$' -fuzz FuzzDecrypt -fuzztime 1m
func FuzzDecrypt(f *testing.F) {
	dec, ct := localDecrypter(f)
	f.Add(ct)
	f.Add(ct[:len(ct)-1])
	f.Add(ct[:100])
	f.Fuzz(func(t *testing.T, msg []byte) {
		plain, err := dec.Decrypt(context.Background(), base64.StdEncoding.EncodeToString(msg))
		switch {
		case err == nil && plain != "918273":
			t.Fatalf("decrypted to %d other bytes", len(plain))
		case err != nil && (plain != "" || bytes.Contains([]byte(err.Error()), []byte("918273"))):
			t.Fatal("a failed decryption shows the code")
		}
	})
}

func TestDecryptLocal(t *testing.T) {
	dec, ct := localDecrypter(t)
	tampered := bytes.Clone(ct)
	tampered[len(tampered)-40] ^= 1
	tests := []struct {
		name    string
		msg     []byte
		wantErr error // nil: must decrypt
	}{
		{name: "intact", msg: ct},
		{name: "a flipped bit", msg: tampered, wantErr: errAny},
		{name: "cut short", msg: ct[:len(ct)-10], wantErr: errAny},
		{name: "not a message", msg: bytes.Repeat([]byte{9}, 100), wantErr: ErrCiphertext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain, err := dec.Decrypt(context.Background(), base64.StdEncoding.EncodeToString(tt.msg))
			switch {
			case tt.wantErr == nil && (err != nil || plain != "918273"):
				t.Fatalf("Decrypt = %d bytes, %v", len(plain), err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("Decrypt error = %v, want %v", err, tt.wantErr)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := dec.Decrypt(ctx, base64.StdEncoding.EncodeToString(ct)); !errors.Is(err, context.Canceled) {
		t.Errorf("Decrypt with a spent context = %v, want context.Canceled", err)
	}
}

// errAny stands for any error in the tests.
var errAny = errors.New("any error")
