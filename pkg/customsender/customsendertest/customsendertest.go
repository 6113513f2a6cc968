// Package customsendertest encrypts codes the way Cognito does for the
// custom sender triggers, for tests that run them against a KMS emulator
// such as moto_server (package mototest): create a symmetric key with
// [CreateKey], encrypt a code with [Encrypt], and put the result in an
// event's request.code.
//
// For tests and examples that need no KMS at all, [Decrypter] decrypts
// every code to a fixed one, and [Outbox] keeps the messages a function
// would send.
package customsendertest

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
)

// CreateKey creates a symmetric encryption key with client and returns
// its ARN, or fails the test.
func CreateKey(tb testing.TB, client *kms.Client) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := client.CreateKey(ctx, &kms.CreateKeyInput{Description: new("cognitrig custom sender test key")})
	if err != nil {
		tb.Fatalf("create a KMS key: %v", err)
	}
	return *out.KeyMetadata.Arn
}

// Suite picks how [Encrypt] encrypts.
type Suite int

// The suites.
const (
	// Committing is the Encryption SDK's default: message format 2, an
	// algorithm suite with key commitment and a signature.
	Committing Suite = iota
	// Legacy is message format 1 without key commitment (with a
	// signature), what Encryption SDKs older than 2.0 write.
	Legacy
)

// Encrypt encrypts plaintext with the AWS Encryption SDK and an AWS KMS
// keyring on keyARN through client, with the encryption context Cognito
// gives a code for user pool poolID (customsender.PoolContextKey; the
// decrypter checks it), and returns the base64 ciphertext, the form of a
// custom sender event's code. It fails the test on any error.
func Encrypt(tb testing.TB, client *kms.Client, keyARN, poolID, plaintext string, suite Suite) string {
	tb.Helper()
	ctx := context.Background()
	providers, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	keyring, err := providers.CreateAwsKmsKeyring(ctx, mpltypes.CreateAwsKmsKeyringInput{KmsClient: client, KmsKeyId: keyARN})
	if err != nil {
		tb.Fatalf("create the keyring: %v", err)
	}
	policy := mpltypes.ESDKCommitmentPolicyRequireEncryptRequireDecrypt
	if suite == Legacy {
		policy = mpltypes.ESDKCommitmentPolicyForbidEncryptAllowDecrypt
	}
	c, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy})
	if err != nil {
		tb.Fatal(err)
	}
	out, err := c.Encrypt(ctx, esdktypes.EncryptInput{
		Plaintext:         []byte(plaintext),
		Keyring:           keyring,
		EncryptionContext: map[string]string{"userpool-id": poolID},
	})
	if err != nil {
		tb.Fatalf("encrypt: %v", err)
	}
	return base64.StdEncoding.EncodeToString(out.Ciphertext)
}
