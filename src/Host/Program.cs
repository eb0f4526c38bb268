using CrosswalkWatch.Host.Cli;

return await CwwCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
