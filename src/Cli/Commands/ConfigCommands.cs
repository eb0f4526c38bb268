using System.CommandLine;
using CrosswalkWatch.Config;

namespace CrosswalkWatch.Cli.Commands;

internal static class ConfigCommands
{
    public static Command Create()
    {
        var command = new Command("config", "Check a configuration file, or print every setting with its default and bounds.");

        var file = new Argument<FileInfo>("FILE") { Description = "The configuration file (YAML)." };
        var check = new Command("check", "Validate a configuration file: every error with its file, line, key and what was expected.") { file };
        check.SetAction(result =>
        {
            var path = result.GetRequiredValue(file).FullName;
            try
            {
                var config = ConfigLoader.Load(path);
                Console.WriteLine($"{path}: ok — site {config.Site.Id}, {config.Cameras.Count} camera(s): {string.Join(", ", config.Cameras.Select(c => c.Enabled ? c.Id : c.Id + " (disabled)"))}");
                return 0;
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine($"{e.Errors.Count} error(s); see `cww config defaults` for every key, its default and bounds.");
                return 2;
            }
        });
        command.Add(check);

        var defaults = new Command("defaults", "Print a complete configuration with every default, documented.");
        defaults.SetAction(_ => Console.Write(ConfigDocs.DefaultsYaml()));
        command.Add(defaults);
        return command;
    }
}
