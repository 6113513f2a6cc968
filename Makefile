# cognitrig — the front door. `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GO      ?= go
ARCH    ?= arm64
HOSTARCH := $(shell $(GO) env GOARCH 2>/dev/null)
BUILD   := build
TOOLS   := $(BUILD)/tools

# Every directory under triggers/ is one deployable function.
FUNCTIONS := $(notdir $(patsubst %/main.go,%,$(wildcard triggers/*/main.go)))

# Lambda build: static, no RPC shim, reproducible, stripped.
GOFLAGS_LAMBDA := -tags lambda.norpc -trimpath -ldflags "-s -w"

# Each target checks the tools it uses (need-<tool>), and a missing tool's
# message says how to install it. make build and make invoke need Go only.
# make test also needs gcc (the race detector needs cgo), moto_server (the
# AWS emulator the integration tests start), Node.js and npm (the CDK CLI,
# cognito-local and the jsii runtime of aws-cdk-go) and cfn-lint (the
# synthesized templates are checked with it).
install-go          := install Go $(shell sed -n 's/^go //p' go.mod 2>/dev/null) or later from https://go.dev/dl/
install-gcc         := apt-get install gcc (Debian/Ubuntu): go test -race needs a C compiler
install-node        := install Node.js 20 with npm (https://nodejs.org/en/download; Debian: apt-get install nodejs npm, if its nodejs is 20 or later)
install-npm         := $(install-node)
install-moto_server := pip install 'moto[server]' (the AWS emulator of the tests and of make local)
install-cfn-lint    := pip install cfn-lint

.PHONY: need-go need-gcc need-node need-npm need-moto_server need-cfn-lint
need-go need-gcc need-node need-npm need-moto_server need-cfn-lint:
	@command -v $(@:need-%=%) >/dev/null 2>&1 || { echo "make: '$(@:need-%=%)' is required but not installed: $(install-$(@:need-%=%))" >&2; exit 1; }

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

# The repository's Go modules, one per audience: the Lambda side at the
# root (what a user's trigger imports), the custom senders (the only
# package that needs the AWS Encryption SDK), the shipped functions with
# the emulator tool, and the CDK side. Each requires the root through a
# replace directive.
MODULES := . pkg/customsender triggers infra

# deps is quiet when the module cache has everything; otherwise it says
# that it downloads (go mod download -x prints one "# get" line a file).
.PHONY: deps
deps: need-go
	@set -o pipefail; for m in $(MODULES); do $(GO) -C $$m mod download -x || exit 1; done 2>&1 | awk \
	  '/^# get / { if (!n++) print "deps: go mod download: the Go modules of go.sum (about a minute on an empty module cache)" > "/dev/stderr"; next } \
	   { print > "/dev/stderr" } \
	   END { if (n) print "deps: done" > "/dev/stderr" }'

$(NODE_TOOLS): tools/package.json tools/package-lock.json | need-node need-npm
	@echo "npm ci in tools/: the CDK CLI, cognito-local, amazon-cognito-identity-js, playwright-core (about a minute, once)" >&2
	cd tools && npm ci --no-audit --no-fund

# The local stack's command, compiled apart from its run: its first
# compile is the long silent step of make local, and run directly it gets
# Ctrl-C without go run around it.
$(TOOLS)/local: FORCE
	@echo "compile cmd/local (about 2 minutes on an empty Go build cache, seconds after)" >&2
	@$(GO) build -o $@ ./cmd/local

.PHONY: local
local: need-moto_server need-node deps $(NODE_TOOLS) $(TOOLS)/aws-lambda-rie $(TOOLS)/local ## run everything locally: moto_server, a Lambda endpoint and the user-pool API, keeping the pool and its users (CLEAN=1: a new pool; Ctrl-C stops it and exits 0)
	@$(TOOLS)/local -emulator $(TOOLS)/aws-lambda-rie -dir $(BUILD)/local $(if $(CLEAN),-clean)

.PHONY: demo
demo: need-moto_server need-node deps $(NODE_TOOLS) $(TOOLS)/aws-lambda-rie $(TOOLS)/local ## scripted demonstration on the local stack: a refused and an accepted sign-up, a passwordless sign-in
	@$(TOOLS)/local -demo -emulator $(TOOLS)/aws-lambda-rie -dir $(BUILD)/local

.PHONY: synth
synth: need-node deps $(NODE_TOOLS) ## synthesize the CDK app offline into cdk.out (POOL=us-east-1_xxx binds an existing pool)
	$(CDK) synth --quiet $(if $(POOL),-c userPoolId=$(POOL))

.PHONY: deploy
deploy: need-node deps $(NODE_TOOLS) ## deploy the demonstration stack with your AWS credentials (POOL=… for an existing pool)
	$(CDK) deploy $(if $(POOL),-c userPoolId=$(POOL))

.PHONY: build
build: deps ## build every function as build/<name>/bootstrap for linux/arm64 (ARCH=amd64 to change)
	@for fn in $(FUNCTIONS); do \
	  echo "build $$fn (linux/$(ARCH))"; \
	  CGO_ENABLED=0 GOOS=linux GOARCH=$(ARCH) $(GO) -C triggers build $(GOFLAGS_LAMBDA) -o $(CURDIR)/$(BUILD)/$$fn/bootstrap ./$$fn || exit 1; \
	done

# Host builds, run by the emulator on this machine.
$(BUILD)/host/%/bootstrap: FORCE
	@test -d triggers/$* || { echo "make: no function '$*'; the functions are: $(FUNCTIONS)" >&2; exit 2; }
	CGO_ENABLED=0 GOOS=linux GOARCH=$(HOSTARCH) $(GO) -C triggers build $(GOFLAGS_LAMBDA) -o $(CURDIR)/$@ ./$*

# The emulator is a tool of the functions' module (triggers/go.mod).
$(TOOLS)/aws-lambda-rie: triggers/go.mod triggers/go.sum | need-go
	$(GO) -C triggers build -trimpath -o $(CURDIR)/$@ github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie

$(TOOLS)/invoke: FORCE
	$(GO) build -trimpath -o $@ ./cmd/invoke

# With AWS_ENDPOINT_URL set (an emulator such as make local's moto_server)
# and no credentials in your environment (no key pair, no container
# credentials endpoint, no AWS_PROFILE), make invoke gives the function
# local dummy credentials, which the emulator accepts. Without an endpoint
# it gives none, so that no call can reach AWS with them: the functions
# start without credentials, and a call that needs them fails, naming the
# variables to set.
INVOKE_CREDENTIALS = $(if $(AWS_ENDPOINT_URL),$(if $(AWS_ACCESS_KEY_ID)$(AWS_SECRET_ACCESS_KEY)$(AWS_CONTAINER_CREDENTIALS_FULL_URI)$(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)$(AWS_PROFILE),,AWS_ACCESS_KEY_ID=local-invoke AWS_SECRET_ACCESS_KEY=local-invoke))

# A function error (invoke's status 1: a Denial, a panic, a failed start) is
# the function's outcome, shown with its status: make invoke exits 0 for it
# and make prints no error line; with STRICT=1 make fails on it (status 2,
# as on any failed recipe). Invoke's status 2 (it could not run the
# function) always fails. build/tools/invoke run directly exits 1.
.PHONY: invoke
invoke: ## run one function on an event without Docker (settings: triggers/FN/invoke.env; STRICT=1 fails on a function error): make invoke FN=presignup EVENT=events/presignup/PreSignUp_SignUp.json
	@test -n "$(FN)" -a -n "$(EVENT)" || { echo "usage: make invoke FN=<function> EVENT=<event file>; functions: $(FUNCTIONS)" >&2; exit 2; }
	@$(if $(wildcard $(BUILD)/host/$(FN)/bootstrap),,echo "invoke: building $(FN) (a minute or two the first time)" >&2)
	@$(MAKE) --no-print-directory -s deps $(BUILD)/host/$(FN)/bootstrap $(TOOLS)/aws-lambda-rie $(TOOLS)/invoke
	@status=0; $(INVOKE_CREDENTIALS) $(TOOLS)/invoke -name $(FN) -bootstrap $(BUILD)/host/$(FN)/bootstrap -emulator $(TOOLS)/aws-lambda-rie \
	  $(if $(wildcard triggers/$(FN)/invoke.env),-env-file triggers/$(FN)/invoke.env) -event $(EVENT) || status=$$?; \
	if [ $$status -eq 1 ]; then \
	  echo "invoke: exit status 1: a function error, such as a Denial; $(if $(STRICT),STRICT=1: make invoke fails on it,make invoke exits 0 for it (STRICT=1 to fail))" >&2; \
	  exit $(if $(STRICT),1,0); \
	fi; \
	exit $$status

# go test -json streams each package's result when it finishes; this prints
# it as go test would (a failure with its whole output), and, after a
# minute of quiet, the packages still running.
TEST_PROGRESS := $(GO) run ./internal/testprogress

.PHONY: test
test: need-gcc need-moto_server need-node need-npm need-cfn-lint deps $(NODE_TOOLS) $(TOOLS)/aws-lambda-rie ## run every check: formatting, go.mod tidiness, vet, tests (with the race detector) and the Lambda builds
	@echo "gofmt: checking the formatting" >&2
	@unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './build/*' -not -path '*/node_modules/*' -not -path './cdk.out/*')); \
	  test -z "$$unformatted" || { echo "gofmt needed on:" $$unformatted >&2; exit 1; }
	@echo "tidy: checking go.mod and go.sum of each module: $(MODULES) (go mod tidy -diff)" >&2
	@for m in $(MODULES); do $(GO) -C $$m mod tidy -diff >&2 || { echo "$$m/go.mod or go.sum is not tidy: run go mod tidy in $$m (the diff it would make, or the error that stopped it, is above)" >&2; exit 1; }; done
	@echo "vet: go vet ./... in each module: $(MODULES) (about 4 minutes on an empty Go build cache)" >&2
	@for m in $(MODULES); do $(GO) -C $$m vet ./... || exit 1; done
	@echo "test: go test -race, every module but infra: a line as each package finishes, in the order they finish" >&2
	@set -o pipefail; for m in $(filter-out infra,$(MODULES)); do $(GO) -C $$m test -race -count=1 -json ./... || exit 1; done | $(TEST_PROGRESS)
	@# The CDK code is jsii glue run once per synth: race-instrumenting
	@# aws-cdk-go would cost minutes and check nothing of ours.
	@echo "test: go test in infra (synthesizes the CDK app and runs cfn-lint on it: a few minutes)" >&2
	@set -o pipefail; $(GO) -C infra test -count=1 -json ./... | $(TEST_PROGRESS)
	@$(MAKE) --no-print-directory build

.PHONY: fuzz
fuzz: deps ## run every fuzz target for FUZZTIME each (default 60s)
	@for m in $(MODULES); do for pkg in $$($(GO) -C $$m list ./...); do \
	  for f in $$($(GO) -C $$m test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$f in $$pkg for $(FUZZTIME)"; \
	    $(GO) -C $$m test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg || exit 1; \
	  done; \
	done; done

.PHONY: bench
bench: need-moto_server deps ## performance suite: per-invocation cost, cold start, size, memory, SES latency; one table (~15 min, quiet machine)
	$(GO) run ./cmd/bench

.PHONY: clean
clean: ## remove build outputs
	rm -rf $(BUILD) cdk.out

.PHONY: FORCE
FORCE:
