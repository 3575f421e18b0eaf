using BenchmarkDotNet.Running;

// Micro-benchmarks of what a sender runs once per build and hook, or once per attempt; see bench/README.md.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
