# The two commands the README promises, plus the pieces they are made of.
.PHONY: run test bench build setup clean

setup:
	tools/setup

build: setup
	tools/build

run: build
	tools/run-demo

test: build
	tools/test

# bench/run builds its own Release tree (build-bench), so ./build is not needed here.
bench: setup
	tools/setup --bench
	bench/run

clean:
	rm -rf build
