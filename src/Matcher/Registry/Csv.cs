using System.Text;

namespace CrosswalkWatch.Matcher.Registry;

/// <summary>One CSV record and the physical line of the file it starts on (1-based).</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader and writer: comma-separated, fields optionally in double quotes, <c>""</c> for a quote
/// inside them, quoted fields may hold commas and line breaks; CRLF, LF or CR end a record. Blank lines are skipped.
/// Line numbers count the file's physical lines, so a record after a multi-line field still gets its real line.
/// The writer is public: the web console's CSV exports write through it too.
/// </summary>
public static class Csv
{
    /// <summary>The records of <paramref name="text"/>; a malformed quote is reported as (line, reason) and ends the reading.</summary>
    internal static List<CsvRecord> Read(string text, out (int Line, string Reason)? error)
    {
        error = null;
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        bool quotedField = false;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' && field.Length == 0 && !quotedField)
            {
                quotedField = true;
                int opened = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        error = (opened, "a quoted field opened on this line is never closed");
                        return records;
                    }

                    c = text[i];
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                    {
                        line++;
                    }

                    field.Append(c);
                    i++;
                }

                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    error = (line, $"a closing quote must be followed by a comma or the end of the line, not '{text[i]}' (write a quote inside a quoted field as \"\")");
                    return records;
                }

                continue;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                quotedField = false;
                i++;
            }
            else if (c is '\r' or '\n')
            {
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                EndRecord();
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
                i++;
            }
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            bool blank = fields.Count == 1 && fields[0].Length == 0 && !quotedField;
            if (!blank)
            {
                records.Add(new CsvRecord(recordLine, fields.ToArray()));
            }

            fields.Clear();
            quotedField = false;
        }
    }

    /// <summary>Writes one record, quoting only the fields that need it, ending it with CRLF as RFC 4180 does.</summary>
    public static void WriteRecord(TextWriter writer, IReadOnlyList<string> fields)
    {
        for (int f = 0; f < fields.Count; f++)
        {
            if (f > 0)
            {
                writer.Write(',');
            }

            string value = fields[f];
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))))
            {
                writer.Write('"');
                writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
                writer.Write('"');
            }
            else
            {
                writer.Write(value);
            }
        }

        writer.Write("\r\n");
    }
}
