using System.Globalization;
using System.Text;
using CrosswalkWatch.Domain;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.Matcher.Registry;

/// <summary>One thing wrong in a registry file, printed as <c>FILE:LINE: column: reason</c>.</summary>
public sealed record RegistryCsvError(string File, int Line, string Column, string Reason)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}: {Column}: {Reason}");
}

/// <summary>A registry file read: the snapshot when there is no error, every error otherwise, and the encoding used.</summary>
public sealed record RegistryCsvResult(RegistrySnapshot? Snapshot, IReadOnlyList<RegistryCsvError> Errors, string Encoding)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// The registry as one CSV file, one row per vehicle entry: <c>official_id,name,department,authority,notes,plate,
/// plate_type,relation,valid_from,valid_to,vehicle_kind,body_colour,make</c>. An official without a vehicle has empty
/// vehicle columns; an official with several vehicles repeats the same official columns on each row. Headers are
/// matched case-insensitively in any order; <c>notes</c>, <c>plate_type</c>, <c>valid_to</c> and the vehicle's
/// description (<c>vehicle_kind</c>, <c>body_colour</c>, <c>make</c>: checked against the evidence for cloned plates)
/// may be left out, as a whole column or in a row. Kinds and colours are the names of
/// <see cref="VehicleNames.Kinds"/> and <see cref="VehicleNames.Colours"/>, English or Chinese. Dates are ISO <c>yyyy-MM-dd</c>,
/// valid_from and valid_to inclusive, an empty valid_to open-ended.
/// </summary>
public static class RegistryCsv
{
    public static readonly IReadOnlyList<string> Columns =
        ["official_id", "name", "department", "authority", "notes", "plate", "plate_type", "relation", "valid_from", "valid_to", "vehicle_kind", "body_colour", "make"];

    private static readonly string[] Optional = ["notes", "plate_type", "valid_to", "vehicle_kind", "body_colour", "make"];

    private static readonly string[] VehicleColumns = ["plate_type", "relation", "valid_from", "valid_to", "vehicle_kind", "body_colour", "make"];

    /// <summary>The longest make accepted (characters).</summary>
    public const int MaxMakeLength = 64;

    private static readonly Dictionary<string, VehicleRelation> Relations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["own"] = VehicleRelation.Own,
        ["official"] = VehicleRelation.Official,
        ["family"] = VehicleRelation.Family,
        ["自有"] = VehicleRelation.Own,
        ["公务"] = VehicleRelation.Official,
        ["家属"] = VehicleRelation.Family,
    };

    private static readonly Dictionary<string, PlateColour> Colours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["blue"] = PlateColour.Blue,
        ["yellow"] = PlateColour.Yellow,
        ["white"] = PlateColour.White,
        ["black"] = PlateColour.Black,
        ["green"] = PlateColour.Green,
        ["蓝"] = PlateColour.Blue,
        ["黄"] = PlateColour.Yellow,
        ["白"] = PlateColour.White,
        ["黑"] = PlateColour.Black,
        ["绿"] = PlateColour.Green,
    };

    static RegistryCsv() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>GB18030, the Chinese national encoding spreadsheet programs on Chinese Windows save CSV in.</summary>
    public static Encoding Gb18030 => System.Text.Encoding.GetEncoding("GB18030");

    /// <summary>
    /// The text of a registry file: UTF-8 when it starts with a UTF-8 BOM or is valid UTF-8 throughout, GB18030
    /// otherwise; also says which. UTF-16 is refused (null text) since spreadsheets write it only when asked.
    /// </summary>
    public static (string? Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (new UTF8Encoding(false, false).GetString(bytes[3..]), "utf-8 with BOM");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (null, "utf-16");
        }

        try
        {
            return (new UTF8Encoding(false, true).GetString(bytes), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            return (Gb18030.GetString(bytes), "gb18030");
        }
    }

    /// <summary>Reads and checks a whole registry file; <paramref name="fileName"/> is only used in the errors.</summary>
    public static RegistryCsvResult Read(ReadOnlySpan<byte> bytes, string fileName)
    {
        var (text, encoding) = Decode(bytes);
        if (text is null)
        {
            return new RegistryCsvResult(null, [new RegistryCsvError(fileName, 1, "file", "UTF-16 is not accepted: save the file as UTF-8 or GB18030 (\"CSV UTF-8\" in a spreadsheet)")], encoding);
        }

        var errors = new List<RegistryCsvError>();
        var records = Csv.Read(text, out var syntax);
        if (syntax is { } bad)
        {
            errors.Add(new RegistryCsvError(fileName, bad.Line, "row", bad.Reason));
        }

        var snapshot = Check(records, fileName, errors);
        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new RegistryCsvResult(errors.Count == 0 ? snapshot : null, errors, encoding);
    }

    /// <summary>Writes the registry in the file format <see cref="Read"/> takes: officials by id, each with its vehicles.</summary>
    public static void Write(RegistrySnapshot snapshot, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(writer);
        Csv.WriteRecord(writer, Columns);
        var byOfficial = snapshot.Vehicles.ToLookup(v => v.OfficialId, StringComparer.Ordinal);
        foreach (var official in snapshot.Officials.OrderBy(o => o.Id, StringComparer.Ordinal))
        {
            string[] person = [official.Id, official.Name, official.Department, official.Authority, official.Notes];
            var vehicles = byOfficial[official.Id].OrderBy(v => v.Plate, StringComparer.Ordinal).ThenBy(v => v.ValidFrom).ToList();
            if (vehicles.Count == 0)
            {
                Csv.WriteRecord(writer, [.. person, "", "", "", "", "", "", "", ""]);
            }

            foreach (var v in vehicles)
            {
                Csv.WriteRecord(writer, [
                    .. person,
                    v.Plate,
                    v.Colour == PlateColour.Unknown ? "" : v.Colour.ToString().ToLowerInvariant(),
                    v.Relation.ToString().ToLowerInvariant(),
                    Date(v.ValidFrom),
                    v.ValidTo is { } to ? Date(to) : "",
                    v.Kind is { } kind ? VehicleNames.Name(kind) : "",
                    v.BodyColour is { } body ? VehicleNames.Name(body) : "",
                    v.Make,
                ]);
            }
        }
    }

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static RegistrySnapshot Check(List<CsvRecord> records, string file, List<RegistryCsvError> errors)
    {
        if (records.Count == 0)
        {
            errors.Add(new RegistryCsvError(file, 1, "header", $"the file is empty: the first line must name the columns ({string.Join(',', Columns)})"));
            return RegistrySnapshot.Empty;
        }

        var header = records[0];
        var columnAt = Header(header, file, errors);
        if (columnAt is null)
        {
            return RegistrySnapshot.Empty;
        }

        var officials = new Dictionary<string, (Official Official, int Line)>(StringComparer.Ordinal);
        var order = new List<Official>();
        var vehicles = new List<(RegisteredVehicle Vehicle, int Line)>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Fields.Count)
            {
                errors.Add(new RegistryCsvError(file, record.Line, "row", $"{record.Fields.Count} fields, but the header has {header.Fields.Count} (a comma inside a value needs the value in double quotes)"));
                continue;
            }

            var row = new Row(record, columnAt, file, errors);
            var official = row.Official(officials);
            if (official is not null)
            {
                officials[official.Id] = (official, record.Line);
                order.Add(official);
            }

            if (row.Vehicle() is { } vehicle)
            {
                vehicles.Add((vehicle, record.Line));
            }
        }

        CheckOverlaps(vehicles, file, errors);
        return new RegistrySnapshot(order, vehicles.ConvertAll(v => v.Vehicle));
    }

    /// <summary>Column name → field index, or null (and errors) when the header is unusable.</summary>
    private static Dictionary<string, int>? Header(CsvRecord header, string file, List<RegistryCsvError> errors)
    {
        var columnAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var before = errors.Count;
        for (int f = 0; f < header.Fields.Count; f++)
        {
            var name = header.Fields[f].Trim().ToLowerInvariant();
            if (!Columns.Contains(name))
            {
                var suggestion = Spelling.Closest(name, Columns);
                errors.Add(new RegistryCsvError(file, header.Line, name.Length == 0 ? $"column {f + 1}" : name,
                    $"unknown column '{header.Fields[f].Trim()}'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} (columns: {string.Join(',', Columns)})"));
            }
            else if (!columnAt.TryAdd(name, f))
            {
                errors.Add(new RegistryCsvError(file, header.Line, name, $"column '{name}' appears twice (columns {columnAt[name] + 1} and {f + 1})"));
            }
        }

        foreach (var required in Columns.Where(c => !Optional.Contains(c) && !columnAt.ContainsKey(c)))
        {
            errors.Add(new RegistryCsvError(file, header.Line, required, $"required column '{required}' is missing"));
        }

        return errors.Count == before ? columnAt : null;
    }

    /// <summary>The same plate's periods may not overlap: a plate handed on needs the earlier valid_to before the later valid_from.</summary>
    private static void CheckOverlaps(List<(RegisteredVehicle Vehicle, int Line)> vehicles, string file, List<RegistryCsvError> errors)
    {
        foreach (var plate in vehicles.GroupBy(v => v.Vehicle.Plate, StringComparer.Ordinal))
        {
            (RegisteredVehicle Vehicle, int Line)? reach = null; // the entry whose period reaches furthest so far
            foreach (var entry in plate.OrderBy(v => v.Vehicle.ValidFrom).ThenBy(v => v.Line))
            {
                if (reach is { } earlier && (earlier.Vehicle.ValidTo is not { } end || end >= entry.Vehicle.ValidFrom))
                {
                    errors.Add(new RegistryCsvError(file, entry.Line, "valid_from",
                        $"plate {plate.Key} from {Date(entry.Vehicle.ValidFrom)} overlaps its entry on line {earlier.Line} ({Period(earlier.Vehicle)}, official {earlier.Vehicle.OfficialId}): " +
                        "a plate handed on needs the earlier valid_to before the later valid_from"));
                }

                if (reach is null || reach.Value.Vehicle.ValidTo is { } reachEnd && (entry.Vehicle.ValidTo is not { } entryEnd || entryEnd > reachEnd))
                {
                    reach = entry;
                }
            }
        }
    }

    private static string Period(RegisteredVehicle v) => $"{Date(v.ValidFrom)} to {(v.ValidTo is { } to ? Date(to) : "open")}";

    /// <summary>One data row's fields by column name, checked one column at a time; every problem goes to the error list.</summary>
    private sealed class Row(CsvRecord record, Dictionary<string, int> columnAt, string file, List<RegistryCsvError> errors)
    {
        private bool _bad;

        public string this[string column] => columnAt.TryGetValue(column, out var f) ? record.Fields[f].Trim() : "";

        /// <summary>The row's official when it is new; null when already seen (same details) or wrong.</summary>
        public Official? Official(Dictionary<string, (Official Official, int Line)> seen)
        {
            var id = Required("official_id");
            var name = Required("name");
            if (id.Length == 0 || name.Length == 0)
            {
                return null;
            }

            var official = new Official(id, name, this["department"], this["authority"], this["notes"]);
            if (!seen.TryGetValue(id, out var first))
            {
                return official;
            }

            var differs = Columns.Take(5).FirstOrDefault(c => c switch
            {
                "name" => first.Official.Name != official.Name,
                "department" => first.Official.Department != official.Department,
                "authority" => first.Official.Authority != official.Authority,
                "notes" => first.Official.Notes != official.Notes,
                _ => false,
            });
            if (differs is not null)
            {
                Error(differs, $"duplicate official id '{id}' with different details: line {first.Line} has {differs} '{Field(first.Official, differs)}', this line '{this[differs]}' " +
                    "(rows of the same official must repeat the same name, department, authority and notes)");
            }

            return null;
        }

        /// <summary>The row's vehicle entry; null when the vehicle columns are empty or wrong.</summary>
        public RegisteredVehicle? Vehicle()
        {
            var text = this["plate"];
            if (text.Length == 0)
            {
                if (VehicleColumns.FirstOrDefault(c => this[c].Length > 0) is { } filled)
                {
                    Error("plate", $"empty, but {filled} is filled: give the plate, or leave every vehicle column empty for an official without a vehicle");
                }

                return null;
            }

            _bad = false;
            PlateNumber plate = default;
            if (!PlateGrammar.TryParse(text, out plate, out var why))
            {
                Error("plate", $"invalid plate '{text}': {why}");
            }

            var colour = Choice("plate_type", Colours, PlateColour.Unknown);
            if (!_bad && colour != PlateColour.Unknown && plate.ImpliedColour is var implied && implied != PlateColour.Unknown && implied != colour)
            {
                Error("plate_type", $"'{this["plate_type"]}' does not fit plate {plate.Text}, which is {implied.ToString().ToLowerInvariant()}");
            }

            if (colour == PlateColour.Unknown && !_bad)
            {
                colour = plate.ImpliedColour;
            }

            var relation = this["relation"].Length == 0 ? Missing("relation", VehicleRelation.Own) : Choice("relation", Relations, VehicleRelation.Own);
            var from = this["valid_from"].Length == 0 ? Missing("valid_from", DateOnly.MinValue) : Day("valid_from");
            DateOnly? to = this["valid_to"].Length == 0 ? null : Day("valid_to");
            if (!_bad && to < from)
            {
                Error("valid_to", $"{Date(to!.Value)} is before valid_from {Date(from)}");
            }

            var kind = Named("vehicle_kind", VehicleNames.Kinds);
            var body = Named("body_colour", VehicleNames.Colours);
            var make = this["make"];
            if (make.Length > MaxMakeLength || make.Any(char.IsControl))
            {
                Error("make", $"'{make}' is not a make: at most {MaxMakeLength} characters, no control characters");
            }

            return _bad ? null : new RegisteredVehicle(this["official_id"], plate.Text, colour, relation, from, to) { Kind = kind, BodyColour = body, Make = make };
        }

        private static string Field(Official o, string column) => column switch
        {
            "name" => o.Name,
            "department" => o.Department,
            "authority" => o.Authority,
            _ => o.Notes,
        };

        private string Required(string column)
        {
            var value = this[column];
            if (value.Length == 0)
            {
                Error(column, "empty; every row needs it");
            }

            return value;
        }

        private T Missing<T>(string column, T fallback)
        {
            Error(column, "empty; a row with a plate needs it");
            return fallback;
        }

        private T Choice<T>(string column, IReadOnlyDictionary<string, T> allowed, T empty) =>
            this[column].Length > 0 && TryName(column, allowed, out var known) ? known : empty;

        /// <summary>An optional named value (kind, colour): null when empty or unknown (an unknown name is an error naming the row and column).</summary>
        private T? Named<T>(string column, IReadOnlyDictionary<string, T> names)
            where T : struct, Enum =>
            this[column].Length > 0 && TryName(column, names, out var known) ? known : null;

        private bool TryName<T>(string column, IReadOnlyDictionary<string, T> allowed, out T known)
        {
            var value = this[column];
            if (allowed.TryGetValue(value, out known!))
            {
                return true;
            }

            var suggestion = Spelling.Closest(value, allowed.Keys);
            Error(column, $"'{value}' is not one of {string.Join(", ", allowed.Keys)}{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
            return false;
        }

        private DateOnly Day(string column)
        {
            if (DateOnly.TryParseExact(this[column], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }

            Error(column, $"'{this[column]}' is not a date as yyyy-MM-dd");
            return DateOnly.MinValue;
        }

        private void Error(string column, string reason)
        {
            _bad = true;
            errors.Add(new RegistryCsvError(file, record.Line, column, reason));
        }
    }
}
