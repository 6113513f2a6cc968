package awsbuild_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
)

// Config takes the configuration of the last awsenv.WithConfig among the
// owned options, and loads the environment's without one.
func TestConfig(t *testing.T) {
	env := map[string]string{"AWS_REGION": "eu-west-1"}
	tests := []struct {
		name       string
		opts       []fromenv.Option
		wantRegion string
	}{
		{name: "no option loads the environment", wantRegion: "eu-west-1"},
		{name: "other options load the environment", opts: []fromenv.Option{fromenv.Own("x.WithY", 1)}, wantRegion: "eu-west-1"},
		{name: "the given configuration", opts: []fromenv.Option{awsenv.WithConfig(aws.Config{Region: "us-east-1"})}, wantRegion: "us-east-1"},
		{name: "the last given configuration wins", opts: []fromenv.Option{awsenv.WithConfig(aws.Config{Region: "us-east-1"}), awsenv.WithConfig(aws.Config{Region: "us-west-2"})}, wantRegion: "us-west-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			own := fromenv.Apply(tt.opts).Own
			cfg, err := awsbuild.Config(own, func(k string) string { return env[k] })
			if err != nil {
				t.Fatalf("Config: %v", err)
			}
			if cfg.Region != tt.wantRegion {
				t.Errorf("region %q, want %q", cfg.Region, tt.wantRegion)
			}
		})
	}
}

// IsConfig tells awsenv.WithConfig from the options of other packages.
func TestIsConfig(t *testing.T) {
	tests := []struct {
		name string
		opt  fromenv.Option
		want bool
	}{
		{name: "awsenv.WithConfig", opt: awsenv.WithConfig(aws.Config{}), want: true},
		{name: "an option of another package", opt: fromenv.Own("x.WithY", aws.Config{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := awsbuild.IsConfig(fromenv.Apply([]fromenv.Option{tt.opt}).Own[0]); got != tt.want {
				t.Errorf("IsConfig = %v, want %v", got, tt.want)
			}
		})
	}
}
