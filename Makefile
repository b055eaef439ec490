# The usual entry points. Each is a thin alias of a script or a go command, so CI, this file and
# CONTRIBUTING.md run the same thing. ARGS go to the underlying command:
#   make test ARGS="-run TestTail ./kafka"   make bench ARGS="BenchmarkTail ./kafka"
.PHONY: help test lint golden bench demo

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

test: ## lint, then every test on kfake and a real Kafka broker started for the run (scripts/test.sh)
	bash scripts/test.sh $(ARGS)

lint: ## golangci-lint (.golangci.yml), installing the pinned version when missing
	bash scripts/lint.sh $(ARGS)

golden: ## rewrite the golden screens of ui and views, then list the files that changed
	KFLOW_UPDATE_GOLDEN=1 go test -count=1 ./ui/... ./views/...
	@git status --short -- '*testdata*'

bench: ## the benchmarks, each next to its same-run reference, on a real broker (bench/run.sh)
	bash bench/run.sh $(ARGS)

demo: ## kflow on the embedded demo cluster (no Kafka needed)
	go run ./cmd/kflow --demo
