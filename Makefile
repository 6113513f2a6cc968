# cognitrig — the front door. `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GO      ?= go
ARCH    ?= arm64
HOSTARCH := $(shell $(GO) env GOARCH)
BUILD   := build
TOOLS   := $(BUILD)/tools

# Every directory under triggers/ is one deployable function.
FUNCTIONS := $(notdir $(patsubst %/,%,$(wildcard triggers/*/)))

# Lambda build: static, no RPC shim, reproducible, stripped.
GOFLAGS_LAMBDA := -tags lambda.norpc -trimpath -ldflags "-s -w"

# Tools `make test` needs: Go, gcc for the race detector, moto_server (the
# AWS emulator the integration tests start), Node.js and npm (the CDK CLI,
# cognito-local and the jsii runtime of aws-cdk-go) and cfn-lint (the
# synthesized templates are checked with it).
REQUIRED_TOOLS := go gcc moto_server node npm cfn-lint

# The Node.js tools, pinned by tools/package-lock.json.
NODE_TOOLS := tools/node_modules/.package-lock.json
CDK        := tools/node_modules/.bin/cdk

# aws-cdk-go runs on Node.js 20, whose end-of-life banner would otherwise
# start every synth.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

FUZZTIME ?= 60s

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

.PHONY: check-tools
check-tools:
	@for t in $(REQUIRED_TOOLS); do \
	  command -v $$t >/dev/null 2>&1 || { echo "make: '$$t' is required but not installed; install it and retry" >&2; exit 1; }; \
	done

.PHONY: deps
deps: check-tools
	$(GO) mod download

$(NODE_TOOLS): tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund

.PHONY: local
local: deps $(NODE_TOOLS) $(TOOLS)/aws-lambda-rie ## run everything locally: moto_server, a Lambda endpoint and cognito-local (Ctrl-C stops it)
	$(GO) run ./cmd/local

.PHONY: demo
demo: deps $(NODE_TOOLS) $(TOOLS)/aws-lambda-rie ## scripted demonstration on the local stack: a refused and an accepted sign-up, a passwordless sign-in
	$(GO) run ./cmd/local -demo

.PHONY: synth
synth: deps $(NODE_TOOLS) ## synthesize the CDK app offline into cdk.out (POOL=us-east-1_xxx binds an existing pool)
	$(CDK) synth --quiet $(if $(POOL),-c userPoolId=$(POOL))

.PHONY: deploy
deploy: deps $(NODE_TOOLS) ## deploy the demonstration stack with your AWS credentials (POOL=… for an existing pool)
	$(CDK) deploy $(if $(POOL),-c userPoolId=$(POOL))

.PHONY: build
build: deps ## build every function as build/<name>/bootstrap for linux/arm64 (ARCH=amd64 to change)
	@for fn in $(FUNCTIONS); do \
	  echo "build $$fn (linux/$(ARCH))"; \
	  CGO_ENABLED=0 GOOS=linux GOARCH=$(ARCH) $(GO) build $(GOFLAGS_LAMBDA) -o $(BUILD)/$$fn/bootstrap ./triggers/$$fn || exit 1; \
	done

# Host builds, run by the emulator on this machine.
$(BUILD)/host/%/bootstrap: FORCE
	@test -d triggers/$* || { echo "make: no function '$*'; the functions are: $(FUNCTIONS)" >&2; exit 2; }
	CGO_ENABLED=0 GOOS=linux GOARCH=$(HOSTARCH) $(GO) build $(GOFLAGS_LAMBDA) -o $@ ./triggers/$*

$(TOOLS)/aws-lambda-rie: go.mod go.sum
	$(GO) build -trimpath -o $@ github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie

$(TOOLS)/invoke: FORCE
	$(GO) build -trimpath -o $@ ./cmd/invoke

.PHONY: invoke
invoke: ## run one function on an event without Docker (settings: triggers/FN/invoke.env): make invoke FN=presignup EVENT=events/presignup/PreSignUp_SignUp.json
	@test -n "$(FN)" -a -n "$(EVENT)" || { echo "usage: make invoke FN=<function> EVENT=<event file>; functions: $(FUNCTIONS)" >&2; exit 2; }
	@$(MAKE) --no-print-directory -s deps $(BUILD)/host/$(FN)/bootstrap $(TOOLS)/aws-lambda-rie $(TOOLS)/invoke
	@$(TOOLS)/invoke -name $(FN) -bootstrap $(BUILD)/host/$(FN)/bootstrap -emulator $(TOOLS)/aws-lambda-rie \
	  $(if $(wildcard triggers/$(FN)/invoke.env),-env-file triggers/$(FN)/invoke.env) -event $(EVENT)

.PHONY: test
test: deps $(NODE_TOOLS) $(TOOLS)/aws-lambda-rie ## run every check: formatting, vet, tests (with the race detector) and the Lambda builds
	@unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './build/*' -not -path '*/node_modules/*' -not -path './cdk.out/*')); \
	  test -z "$$unformatted" || { echo "gofmt needed on:" $$unformatted >&2; exit 1; }
	$(GO) vet ./...
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v '/infra')
	@# The CDK code is jsii glue run once per synth: race-instrumenting
	@# aws-cdk-go would cost minutes and check nothing of ours.
	$(GO) test -count=1 ./infra/...
	@$(MAKE) --no-print-directory build

.PHONY: fuzz
fuzz: deps ## run every fuzz target for FUZZTIME each (default 60s)
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$f in $$pkg for $(FUZZTIME)"; \
	    $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg || exit 1; \
	  done; \
	done

.PHONY: bench
bench: deps ## performance suite: per-invocation cost, cold start, size, memory, SES latency; one table (~15 min, quiet machine)
	$(GO) run ./cmd/bench

.PHONY: clean
clean: ## remove build outputs
	rm -rf $(BUILD) cdk.out

.PHONY: FORCE
FORCE:
