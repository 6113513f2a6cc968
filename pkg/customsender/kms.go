package customsender

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
)

// Decrypter turns the code of a custom sender event (base64 ciphertext)
// into the plaintext code or temporary password. poolID is the event's
// userPoolId: a code that was not encrypted for that user pool must be
// refused. The plaintext is a secret: never log it, never put it in an
// error. Decrypt must honor ctx's deadline.
type Decrypter interface {
	Decrypt(ctx context.Context, code, poolID string) (string, error)
}

// PoolContextKey is the key of the encryption context in which Cognito
// names the user pool a code was encrypted for.
const PoolContextKey = "userpool-id"

// MaxEncryptedDataKeys is the most encrypted data keys a message may
// carry. Cognito encrypts each code to the pool's one KMS key; the bound
// limits the KMS calls a forged message could cause.
const MaxEncryptedDataKeys = 5

// KMSDecrypter decrypts codes with the AWS Encryption SDK and a strict
// AWS KMS keyring on one key, the user pool's KMSKeyID. It is safe for
// concurrent use; decryptions run one at a time (a Lambda instance serves
// one invocation at a time anyway).
type KMSDecrypter struct {
	keyARN  string
	client  *esdk.Client
	keyring mpltypes.IKeyring
	// turn is held by the decryption in progress, whose context call
	// holds: the keyring's KMS calls take their deadline from it.
	turn chan struct{}
	call atomic.Pointer[context.Context]
}

var _ Decrypter = (*KMSDecrypter)(nil)

// NewKMSDecrypter returns a [KMSDecrypter] for the symmetric KMS key
// keyARN (a key ARN, not an alias), calling KMS through a copy of client
// in the key's region. It builds the Encryption SDK client, the material
// providers and the keyring once; it makes no network call.
//
// The Encryption SDK for Go does not pass a context to KMS, so the copy
// of client carries a middleware that gives each of its calls the
// deadline and cancellation of the Decrypt in progress, and a retryer
// with short back-offs (3 attempts).
//
// The SDK is told to accept messages without key commitment
// (REQUIRE_ENCRYPT_ALLOW_DECRYPT), as Cognito's own examples do, and at
// most [MaxEncryptedDataKeys] data keys.
func NewKMSDecrypter(client *kms.Client, keyARN string) (*KMSDecrypter, error) {
	a, err := ParseKeyARN(keyARN)
	if err != nil {
		return nil, err
	}
	d := &KMSDecrypter{keyARN: keyARN, turn: make(chan struct{}, 1)}
	kc := kms.New(client.Options(), func(o *kms.Options) {
		o.Region = a.Region
		o.APIOptions = append(slices.Clip(o.APIOptions), d.lendDeadline)
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 3
			so.MaxBackoff = 500 * time.Millisecond
		})
	})
	providers, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		return nil, fmt.Errorf("build the material providers: %w", err)
	}
	d.keyring, err = providers.CreateAwsKmsKeyring(context.Background(), mpltypes.CreateAwsKmsKeyringInput{KmsClient: kc, KmsKeyId: keyARN})
	if err != nil {
		return nil, fmt.Errorf("build the KMS keyring of %s: %s", keyARN, reason(err))
	}
	policy := mpltypes.ESDKCommitmentPolicyRequireEncryptAllowDecrypt
	maxKeys := int64(MaxEncryptedDataKeys)
	d.client, err = esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy, MaxEncryptedDataKeys: &maxKeys})
	if err != nil {
		return nil, fmt.Errorf("build the Encryption SDK client: %w", err)
	}
	return d, nil
}

// Decrypt decodes code ([DecodeCiphertext]) and decrypts it, calling KMS
// within ctx's deadline, and returns the plaintext only when the
// message's encryption context names poolID ([PoolContextKey]), as
// Cognito's does: the pool's key may serve other pools or other
// encryptors too, and a code encrypted for them is not this pool's to
// send. Its errors never hold the plaintext; they say what failed and,
// for a wrong key or a missing permission, what to fix. An error that is
// ctx's wraps ctx's error.
func (d *KMSDecrypter) Decrypt(ctx context.Context, code, poolID string) (plain string, err error) {
	ct, err := DecodeCiphertext(code)
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("decrypt the code: %w", err)
	}
	select {
	case d.turn <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("decrypt the code: %w", ctx.Err())
	}
	d.call.Store(&ctx)
	defer func() {
		d.call.Store(nil)
		<-d.turn
		if v := recover(); v != nil {
			plain, err = "", fmt.Errorf("decrypt the code: the Encryption SDK panicked (%T); the message is malformed", v)
		}
	}()
	out, err := d.client.Decrypt(ctx, esdktypes.DecryptInput{Ciphertext: ct, Keyring: d.keyring})
	if err != nil {
		return "", d.explain(ctx, err)
	}
	if got, ok := out.EncryptionContext[PoolContextKey]; !ok || got != poolID || poolID == "" {
		clear(out.Plaintext)
		if !ok {
			return "", fmt.Errorf("decrypt the code: its encryption context names no user pool (%s), as Cognito's always does: the message was not encrypted by Cognito; refused", PoolContextKey)
		}
		return "", fmt.Errorf("decrypt the code: it was encrypted for user pool %s, not for %s, the pool of the event; refused (is the KMS key shared with another pool?)", clip(got), clip(poolID))
	}
	return string(out.Plaintext), nil
}

// clip shortens a value of an untrusted message for an error.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// explain turns an error of the Encryption SDK into one for the log.
func (d *KMSDecrypter) explain(ctx context.Context, err error) error {
	why := reason(err)
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("decrypt the code with KMS key %s: %s: %w", d.keyARN, why, cerr)
	}
	switch {
	case strings.Contains(why, "No Encrypted Data Keys found to match"):
		why += "; KMS_KEY_ARN must be the key of the user pool's LambdaConfig.KMSKeyID"
	case hasCode(err, "AccessDeniedException"):
		why += "; give the function's role kms:Decrypt on KMS_KEY_ARN, and check that the key policy allows it"
	}
	return fmt.Errorf("decrypt the code with KMS key %s: %s", d.keyARN, why)
}

// lendDeadline installs, first in every KMS call of the keyring, the
// swap of the call's context (which the Encryption SDK makes from
// context.Background) for one with the deadline of the Decrypt in
// progress.
func (d *KMSDecrypter) lendDeadline(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("cognitrigDecryptDeadline",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if call := d.call.Load(); call != nil {
				ctx = lentContext{Context: ctx, call: *call}
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}

// lentContext has the values of its Context and the deadline and
// cancellation of call.
type lentContext struct {
	context.Context
	call context.Context
}

func (c lentContext) Deadline() (time.Time, bool) { return c.call.Deadline() }
func (c lentContext) Done() <-chan struct{}       { return c.call.Done() }
func (c lentContext) Err() error                  { return c.call.Err() }

// reason says in one line why the Encryption SDK or the material
// providers failed: their own message (their Error methods print a nil
// error code first), or the errors of the KMS calls.
func reason(err error) string {
	switch e := err.(type) {
	case esdktypes.AwsEncryptionSdkException:
		return e.Message
	case mpltypes.AwsCryptographicMaterialProvidersException:
		return e.Message
	case esdktypes.CollectionOfErrors:
		return reasons(e.ListOfErrors)
	case mpltypes.CollectionOfErrors:
		return reasons(e.ListOfErrors)
	case esdktypes.OpaqueError:
		if inner, ok := e.ErrObject.(error); ok {
			return reason(inner)
		}
	case mpltypes.OpaqueError:
		if inner, ok := e.ErrObject.(error); ok {
			return reason(inner)
		}
	}
	return err.Error()
}

func reasons(errs []error) string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, reason(e))
	}
	return "KMS did not decrypt the data key: " + strings.Join(out, "; ")
}

// hasCode reports whether err, or one of the errors it collects, is an
// AWS API error with this code.
func hasCode(err error, code string) bool {
	var errs []error
	switch e := err.(type) {
	case esdktypes.CollectionOfErrors:
		errs = e.ListOfErrors
	case mpltypes.CollectionOfErrors:
		errs = e.ListOfErrors
	default:
		var api smithy.APIError
		return errors.As(err, &api) && api.ErrorCode() == code
	}
	return slices.ContainsFunc(errs, func(e error) bool { return hasCode(e, code) })
}

// ParseKeyARN checks that s is the ARN of a KMS key
// (arn:aws:kms:us-east-1:123456789012:key/…), which is how Cognito's
// ciphertext names the key, and returns it parsed.
func ParseKeyARN(s string) (arn.ARN, error) {
	a, err := arn.Parse(s)
	switch {
	case err != nil || a.Service != "kms":
		return arn.ARN{}, fmt.Errorf("%s=%q is not a KMS key ARN; use one such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", EnvKeyARN, s)
	case strings.HasPrefix(a.Resource, "alias/"):
		return arn.ARN{}, fmt.Errorf("%s=%q is an alias; use the key's own ARN, the user pool's KMSKeyID (Cognito's ciphertext names the key, not the alias)", EnvKeyARN, s)
	case !strings.HasPrefix(a.Resource, "key/") || len(a.Resource) == len("key/") || strings.ContainsAny(a.Resource[4:], "/ "):
		return arn.ARN{}, fmt.Errorf("%s=%q does not name a key (key/<key id>)", EnvKeyARN, s)
	case a.Region == "" || len(a.AccountID) != 12 || strings.Trim(a.AccountID, "0123456789") != "":
		return arn.ARN{}, fmt.Errorf("%s=%q lacks the key's region or 12-digit account", EnvKeyARN, s)
	}
	return a, nil
}
