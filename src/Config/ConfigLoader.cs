using CrosswalkWatch.Domain.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrosswalkWatch.Config;

/// <summary>
/// Reads cww.yaml into a <see cref="CwwConfig"/>, checking everything at once: unknown keys, types, bounds,
/// required keys, and the rules that span keys (unique camera ids, reachable files, URL schemes).
/// A file that fails throws one <see cref="ConfigException"/> listing every problem with its line and key.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Reads and validates the configuration file at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">The file is missing, unreadable, not YAML, or has any invalid value.</exception>
    public static CwwConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var errors = new ConfigErrors(path);
        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            errors.Add(null, "", $"is a folder, expected a YAML configuration file ({fullPath})");
            errors.ThrowIfAny();
        }

        string text = "";
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            errors.Add(null, "", $"configuration file not found ({fullPath})");
        }
        catch (UnauthorizedAccessException)
        {
            errors.Add(null, "", $"configuration file is not readable: permission denied ({fullPath})");
        }
        catch (IOException e)
        {
            errors.Add(null, "", $"configuration file could not be read: {e.Message}");
        }

        errors.ThrowIfAny();
        return Parse(text, path, Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>Parses and validates configuration text.</summary>
    /// <param name="yamlText">The YAML; empty text (or only comments) gives all defaults and no cameras.</param>
    /// <param name="fileName">The name errors refer to.</param>
    /// <param name="baseDirectory">Relative paths in the file (videos, scenes, data folders) are taken from here.</param>
    /// <exception cref="ConfigException">The text is not YAML, or has any invalid value.</exception>
    public static CwwConfig Parse(string yamlText, string fileName, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(baseDirectory);

        var errors = new ConfigErrors(fileName);
        YamlNode? root = ReadDocument(yamlText, errors);
        errors.ThrowIfAny();

        var binder = new YamlBinder(errors);
        if (root is YamlMappingNode mapping)
        {
            ApplyCameraOverrides(mapping, binder);
        }

        CwwConfig config = binder.Bind<CwwConfig>(root);
        config = ConfigChecks.Run(config, binder, Path.GetFullPath(baseDirectory));

        for (int i = 0; i < config.Cameras.Count; i++)
        {
            string id = config.Cameras[i].Id;
            if (id.Length > 0)
            {
                string key = Naming.Item("cameras", i);
                errors.PrefixMessages(key, $"camera '{id}': ", except: Naming.Child(key, "id"));
            }
        }

        errors.ThrowIfAny();
        CheckScenes(config);
        return config;
    }

    /// <summary>Loads each camera's scene file, so that `cww config check` and start-up report their errors too.</summary>
    private static void CheckScenes(CwwConfig config)
    {
        var problems = new List<ConfigError>();
        foreach (var camera in config.Cameras)
        {
            if (camera.Scene is { } scene)
            {
                try
                {
                    SceneLoader.Load(scene);
                }
                catch (ConfigException e)
                {
                    problems.AddRange(e.Errors);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }
    }

    /// <summary>The one document's root node; null for an empty file. Syntax errors are added to <paramref name="errors"/>.</summary>
    internal static YamlNode? ReadDocument(string text, ConfigErrors errors)
    {
        var parser = new Parser(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            (int line, int column) = ((int)e.Start.Line, (int)e.Start.Column);
            object detail = ParserWords(e.Message);
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindIndentTab(text) is (int tabLine, int tabColumn))
            {
                (line, column, detail) = (tabLine, tabColumn, Domain.Phrase.Of("config.yaml.tabIndent", "a tab in the indentation; YAML indents with spaces only"));
            }

            errors.Add(line, column, "", Domain.Phrase.Of("config.yamlSyntax", "YAML syntax error: {detail}", ("detail", detail)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up this way on some unclosed flow collections; point at the last node it read.
            Mark at = parser.Current?.End ?? Mark.Empty;
            errors.Add((int)at.Line, (int)at.Column, "", Domain.Phrase.Of("config.yamlUnclosed", "YAML syntax error: could not read on from here; is a '[', '{' or quote left unclosed?"));
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            YamlNode second = stream.Documents[1].RootNode;
            errors.Add((int)second.Start.Line, (int)second.Start.Column, "",
                Domain.Phrase.Of("config.yamlDocuments", "expected one YAML document, found {count}: remove the extra '---' separators", ("count", stream.Documents.Count)));
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    /// <summary>
    /// What the YAML parser met, as a phrase of its kind that each language words (its English the parser's own words,
    /// without the full stop); a message not known here stays the parser's English inside the sentence. Line and
    /// column come with the error.
    /// </summary>
    private static object ParserWords(string message)
    {
        // One of YamlDotNet's messages has a double space after its comma.
        string said = string.Join(' ', message.TrimEnd('.').Split(' ', StringSplitOptions.RemoveEmptyEntries));
        const string duplicate = "Duplicate key ";
        return said switch
        {
            "While scanning a simple key, could not find expected ':'" => Domain.Phrase.Of("config.yaml.noColon", said),
            "While parsing a block mapping, did not find expected key" => Domain.Phrase.Of("config.yaml.noKey", said),
            "While parsing a block collection, did not find expected '-' indicator" => Domain.Phrase.Of("config.yaml.noDash", said),
            "While scanning for the next token, found character that cannot start any token" => Domain.Phrase.Of("config.yaml.badStart", said),
            "While scanning a plain scalar value, found invalid mapping" => Domain.Phrase.Of("config.yaml.mappingInValue", said),
            "While scanning a multiline plain scalar, found invalid mapping" => Domain.Phrase.Of("config.yaml.mappingInLines", said),
            "While parsing a flow sequence, did not find expected ',' or ']'" => Domain.Phrase.Of("config.yaml.flowList", said),
            "While parsing a flow mapping, did not find expected ',' or '}'" => Domain.Phrase.Of("config.yaml.flowMapping", said),
            "Mapping values are not allowed in this context" => Domain.Phrase.Of("config.yaml.mappingNotAllowed", said),
            "Block sequence entries are not allowed in this context" => Domain.Phrase.Of("config.yaml.listNotAllowed", said),
            "While parsing a node, did not find expected node content" => Domain.Phrase.Of("config.yaml.noContent", said),
            "Did not find expected <document end>" => Domain.Phrase.Of("config.yaml.noDocumentEnd", said),
            "Did not find expected <document start>" => Domain.Phrase.Of("config.yaml.noDocumentStart", said),
            "While scanning a multi-line double-quoted scalar, found wrong indentation" => Domain.Phrase.Of("config.yaml.quotedIndent", said),
            "While scanning a quoted scalar, found unexpected end of stream" => Domain.Phrase.Of("config.yaml.unclosedQuote", said),
            "While scanning a quoted scalar, found unknown escape character" => Domain.Phrase.Of("config.yaml.badEscape", said),
            "While scanning a mapping, found invalid tab as indentation" => Domain.Phrase.Of("config.yaml.tabInMapping", said),
            "While scanning a plain scalar, found a tab character that violate indentation" => Domain.Phrase.Of("config.yaml.tabInValue", said),
            _ when said.StartsWith(duplicate, StringComparison.Ordinal) => Domain.Phrase.Of("config.yaml.duplicateKey", duplicate + "{key}", ("key", said[duplicate.Length..])),
            _ => said,
        };
    }

    /// <summary>The global blocks a camera may override key by key.</summary>
    private static readonly string[] OverridableBlocks = ["ingest", "rule"];

    /// <summary>
    /// Gives each camera an <c>ingest:</c> and a <c>rule:</c> mapping that is the global one with the camera's own keys
    /// laid over it. The merged mapping reuses the written nodes, so errors keep the line where each value was written;
    /// errors on inherited values are muted under cameras because they are already reported under the global block.
    /// </summary>
    private static void ApplyCameraOverrides(YamlMappingNode root, YamlBinder binder)
    {
        if (ValueOf(root, "cameras") is not YamlSequenceNode cameras)
        {
            return;
        }

        foreach (string block in OverridableBlocks)
        {
            if (ValueOf(root, block) is not YamlMappingNode global)
            {
                continue; // absent (all defaults) or not a mapping (reported when the block is bound)
            }

            binder.Errors.Mute(global.AllNodes, "cameras[");
            foreach (YamlNode item in cameras.Children)
            {
                if (item is YamlMappingNode camera)
                {
                    Overlay(camera, block, global, binder);
                }
            }
        }
    }

    private static void Overlay(YamlMappingNode camera, string block, YamlMappingNode global, YamlBinder binder)
    {
        YamlNode? key = KeyOf(camera, block);
        if (key is null)
        {
            camera.Children.Add(new YamlScalarNode(block), global);
        }
        else if (YamlBinder.IsNull(camera.Children[key]))
        {
            camera.Children[key] = global;
        }
        else if (camera.Children[key] is YamlMappingNode own)
        {
            var merged = new YamlMappingNode();
            foreach (KeyValuePair<YamlNode, YamlNode> entry in global.Children)
            {
                bool overridden = entry.Key is YamlScalarNode name && name.Value is not null && KeyOf(own, name.Value) is not null;
                if (!overridden)
                {
                    merged.Children.Add(entry.Key, entry.Value);
                }
            }

            foreach (KeyValuePair<YamlNode, YamlNode> entry in own.Children)
            {
                merged.Children.Add(entry.Key, entry.Value);
            }

            binder.UsePositionOf(merged, own);
            camera.Children[key] = merged;
        }

        // Anything else under a camera's block is left alone for the binder to report.
    }

    private static YamlNode? KeyOf(YamlMappingNode mapping, string name)
    {
        foreach (YamlNode key in mapping.Children.Keys)
        {
            if (key is YamlScalarNode scalar && scalar.Value == name)
            {
                return key;
            }
        }

        return null;
    }

    private static YamlNode? ValueOf(YamlMappingNode mapping, string name) =>
        KeyOf(mapping, name) is { } key ? mapping.Children[key] : null;

    /// <summary>Line and column (1-based) of the first tab in a line's indentation.</summary>
    private static (int Line, int Column)? FindIndentTab(string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int column = 0;
            while (column < line.Length && (line[column] == ' ' || line[column] == '\t'))
            {
                if (line[column] == '\t')
                {
                    return (i + 1, column + 1);
                }

                column++;
            }
        }

        return null;
    }
}
