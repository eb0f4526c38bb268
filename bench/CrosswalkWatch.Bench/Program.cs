using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/CrosswalkWatch.Bench -- --filter '*'` runs every benchmark; see bench/README.md.
BenchmarkSwitcher.FromAssembly(typeof(CrosswalkWatch.Bench.BenchConfig).Assembly).Run(args, new CrosswalkWatch.Bench.BenchConfig());
