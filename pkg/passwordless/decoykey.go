package passwordless

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	core "github.com/cognitrig/cognitrig/internal/passwordlesscore"
)

// SecretsManagerAPI is the call create makes to AWS Secrets Manager, to
// read the decoy key from the secret Config.DecoyKeySecretARN names.
// *secretsmanager.Client is one.
type SecretsManagerAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// WithSecretsManager reads the decoy key through c, from the secret that
// Config.DecoyKeySecretARN (DECOY_KEY_SECRET_ARN) names; create needs it
// when that is set (AWSOptions builds it). The key is read at the first
// invocation of create, whoever signs in, and kept for the life of the
// process; see [Auth.Create].
func WithSecretsManager(c SecretsManagerAPI) Option { return func(a *Auth) { a.secrets = c } }

// keyedFlow is the flow of create when the decoy key is in Secrets
// Manager: built, with the key, at the first invocation that reads the
// secret successfully, then the same for the life of the process. A
// failure is not kept, so the next invocation reads the secret again.
type keyedFlow struct {
	client SecretsManagerAPI
	secret string          // the secret's ARN or name
	cfg    core.FlowConfig // the flow's configuration, without the key
	lock   chan struct{}   // held while the secret is read: one read at a time
	flow   atomic.Pointer[core.Flow]
}

func newKeyedFlow(client SecretsManagerAPI, secret string, cfg core.FlowConfig) *keyedFlow {
	return &keyedFlow{client: client, secret: secret, cfg: cfg, lock: make(chan struct{}, 1)}
}

// get returns the flow keyed with the secret's key, reading the secret
// within ctx's deadline if no invocation has read it yet. Invocations
// that arrive while it is read wait for that read (or their own deadline)
// instead of reading it again. The error names the secret and says why it
// could not be read; it never holds the secret's value.
func (k *keyedFlow) get(ctx context.Context) (*core.Flow, error) {
	if f := k.flow.Load(); f != nil {
		return f, nil
	}
	select {
	case k.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("passwordless: read the decoy key from secret %s: %w", k.secret, context.Cause(ctx))
	}
	defer func() { <-k.lock }()
	if f := k.flow.Load(); f != nil {
		return f, nil
	}
	key, err := k.read(ctx)
	if err != nil {
		return nil, err
	}
	cfg := k.cfg
	cfg.DecoyKey = key
	f, err := core.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("passwordless: the decoy key in secret %s: %w", k.secret, err)
	}
	k.flow.Store(f)
	return f, nil
}

// read fetches and decodes the key. The SDK's errors say nothing of the
// value, and the decoding errors never repeat it.
func (k *keyedFlow) read(ctx context.Context) ([]byte, error) {
	out, err := k.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &k.secret})
	if err != nil {
		return nil, fmt.Errorf("passwordless: read the decoy key from secret %s (%s; the function's role needs secretsmanager:GetSecretValue on it, and kms:Decrypt on its key when a customer managed key encrypts it): %w",
			k.secret, core.EnvDecoyKeySecretARN, err)
	}
	if out.SecretString == nil {
		return nil, fmt.Errorf("passwordless: secret %s (%s) has no SecretString; store the decoy key as text: 32 random bytes in hex (openssl rand -hex 32)",
			k.secret, core.EnvDecoyKeySecretARN)
	}
	key, err := core.ParseDecoyKey(*out.SecretString)
	if err != nil {
		return nil, fmt.Errorf("passwordless: the SecretString of secret %s (%s) is no decoy key: %w", k.secret, core.EnvDecoyKeySecretARN, err)
	}
	return key, nil
}
