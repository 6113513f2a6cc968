package customsender

import (
	"bytes"
	"cmp"
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

// localPool is the user pool the local messages are encrypted for.
const localPool = "us-east-1_LOCAL"

// localDecrypter is a KMSDecrypter whose keyring is a raw AES key, so
// that the Encryption SDK's parsing can be fuzzed without KMS, and the
// ciphertext it decrypts: the code, encrypted for localPool.
func localDecrypter(tb testing.TB) (*KMSDecrypter, []byte) {
	dec, encrypt := localKeyring(tb)
	return dec, encrypt(map[string]string{PoolContextKey: localPool})
}

// localKeyring returns a KMSDecrypter on a raw AES keyring, and a function
// that encrypts the code with that keyring under an encryption context.
func localKeyring(tb testing.TB) (*KMSDecrypter, func(encryptionContext map[string]string) []byte) {
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
	encrypt := func(ec map[string]string) []byte {
		out, err := client.Encrypt(context.Background(), esdktypes.EncryptInput{Plaintext: []byte("918273"), Keyring: keyring, EncryptionContext: ec})
		if err != nil {
			tb.Fatal(err)
		}
		return out.Ciphertext
	}
	return &KMSDecrypter{keyARN: "raw-aes", client: client, keyring: keyring, turn: make(chan struct{}, 1)}, encrypt
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
		plain, err := dec.Decrypt(context.Background(), base64.StdEncoding.EncodeToString(msg), localPool)
		switch {
		case err == nil && plain != "918273":
			t.Fatalf("decrypted to %d other bytes", len(plain))
		case err != nil && (plain != "" || bytes.Contains([]byte(err.Error()), []byte("918273"))):
			t.Fatal("a failed decryption shows the code")
		}
	})
}

func TestDecryptLocal(t *testing.T) {
	dec, encrypt := localKeyring(t)
	ct := encrypt(map[string]string{PoolContextKey: localPool})
	tampered := bytes.Clone(ct)
	tampered[len(tampered)-40] ^= 1
	tests := []struct {
		name    string
		msg     []byte
		pool    string // the event's pool; localPool when empty
		wantErr error  // nil: must decrypt
	}{
		{name: "intact", msg: ct},
		{name: "a flipped bit", msg: tampered, wantErr: errAny},
		{name: "cut short", msg: ct[:len(ct)-10], wantErr: errAny},
		{name: "not a message", msg: bytes.Repeat([]byte{9}, 100), wantErr: ErrCiphertext},
		{name: "encrypted for another pool", msg: encrypt(map[string]string{PoolContextKey: "us-east-1_OTHER"}), wantErr: errAny},
		{name: "the event of another pool", msg: ct, pool: "us-east-1_OTHER", wantErr: errAny},
		{name: "the event names no pool", msg: ct, pool: "-", wantErr: errAny},
		{name: "no encryption context", msg: encrypt(nil), wantErr: errAny},
		{name: "a context without the pool", msg: encrypt(map[string]string{"purpose": "other"}), wantErr: errAny},
		{name: "the pool in another case", msg: encrypt(map[string]string{PoolContextKey: "US-EAST-1_LOCAL"}), wantErr: errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := cmp.Or(tt.pool, localPool)
			if pool == "-" {
				pool = ""
			}
			plain, err := dec.Decrypt(context.Background(), base64.StdEncoding.EncodeToString(tt.msg), pool)
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
	if _, err := dec.Decrypt(ctx, base64.StdEncoding.EncodeToString(ct), localPool); !errors.Is(err, context.Canceled) {
		t.Errorf("Decrypt with a spent context = %v, want context.Canceled", err)
	}
}

// errAny stands for any error in the tests.
var errAny = errors.New("any error")
