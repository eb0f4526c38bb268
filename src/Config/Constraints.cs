using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace CrosswalkWatch.Config;

/// <summary>
/// Reads the DataAnnotations attributes of a property and turns them into words: what a value must look like
/// ("a number from 0.1 to 60"), the default ("(default 5)"), and whether a given value passes.
/// Used by the binder for its messages and by <see cref="ConfigDocs"/> for the commented defaults.
/// </summary>
internal static class Constraints
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>What a value of <paramref name="type"/> (the property's type with nullability stripped) must look like.</summary>
    public static string Expectation(Type type, PropertyInfo? property)
    {
        switch (Shape.Of(type))
        {
            case ShapeKind.Int:
                return "a whole number" + RangePhrase(property, " ");
            case ShapeKind.Double:
                return "a number" + RangePhrase(property, " ");
            case ShapeKind.Bool:
                return "true or false";
            case ShapeKind.Enum:
                return "one of: " + string.Join(", ", Shape.EnumNames(type));
            case ShapeKind.String:
                return StringPhrase(property);
            case ShapeKind.List:
                return "a list ('- ' items)" + ListLengthPhrase(property);
            default:
                return "a mapping of keys (" + string.Join(", ", Shape.Properties(type).Select(p => p.Key)) + ")";
        }
    }

    /// <summary>The short note printed after a key's description in the defaults file: "default 5, range 0.1–60".</summary>
    public static string Summary(Type type, PropertyInfo property, object? defaultValue)
    {
        var parts = new List<string>();
        bool required = property.GetCustomAttribute<RequiredAttribute>() is not null;
        if (required)
        {
            parts.Add("required");
        }
        else
        {
            string? shown = DefaultText(defaultValue);
            if (shown is not null)
            {
                parts.Add("default " + shown);
            }
            else if (defaultValue is null)
            {
                parts.Add("default none");
            }
        }

        switch (Shape.Of(type))
        {
            case ShapeKind.Int or ShapeKind.Double:
                RangeAttribute? range = property.GetCustomAttribute<RangeAttribute>();
                if (range is { MinimumIsExclusive: false, MaximumIsExclusive: false })
                {
                    parts.Add($"range {Bound(range.Minimum)}–{Bound(range.Maximum)}");
                }
                else if (range is not null)
                {
                    parts.Add(RangePhrase(property, ""));
                }

                break;
            case ShapeKind.Enum:
                parts.Add("one of " + string.Join(", ", Shape.EnumNames(type)));
                break;
            case ShapeKind.String:
                string? text = PatternPhrase(property) ?? LengthPhrase(property);
                if (text is not null)
                {
                    parts.Add(text);
                }

                break;
            case ShapeKind.List:
                string length = ListLengthPhrase(property);
                if (length.Length > 0)
                {
                    parts.Add(length.TrimStart());
                }

                break;
            default:
                break;
        }

        return string.Join(", ", parts);
    }

    /// <summary>" (default 5)", or empty when the default is not a plain value worth repeating.</summary>
    public static string DefaultSuffix(object? defaultValue)
    {
        string? text = DefaultText(defaultValue);
        return text is null ? "" : " (default " + text + ")";
    }

    /// <summary>A default as a person reads it: 5, 0.35, true, tcp, 'site-01', empty. Null for lists, records and null.</summary>
    public static string? DefaultText(object? value) => value switch
    {
        null => null,
        string s when s.Length == 0 => "empty",
        string s => "'" + s + "'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => FormatNumber(d),
        Enum e => Shape.EnumName(e),
        _ => null,
    };

    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// What a value must look like, with the default, as a phrase the console words in its reader's language (its
    /// English is <see cref="Expectation"/> + <see cref="DefaultSuffix"/>); text with a pattern keeps its English inside it.
    /// </summary>
    public static Domain.Phrase ExpectationPhrase(Type type, PropertyInfo? property, object? defaultValue)
    {
        // Without a range or a default, the empty text in every language.
        object range = RangeOf(property) is { } bounds ? bounds : "";
        object suffix = DefaultText(defaultValue) is { } shown ? Domain.Phrase.Of("config.default", " (default {value})", ("value", shown)) : "";
        return Shape.Of(type) switch
        {
            ShapeKind.Int => Domain.Phrase.Of("config.expect.wholeNumber", "a whole number{range}{default}", ("range", range), ("default", suffix)),
            ShapeKind.Double => Domain.Phrase.Of("config.expect.number", "a number{range}{default}", ("range", range), ("default", suffix)),
            ShapeKind.Bool => Domain.Phrase.Of("config.expect.trueOrFalse", "true or false{default}", ("default", suffix)),
            ShapeKind.Enum => Domain.Phrase.Of("config.expect.oneOf", "one of: {choices}{default}", ("choices", string.Join(", ", Shape.EnumNames(type))), ("default", suffix)),
            ShapeKind.List => Domain.Phrase.Of("config.expect.list", "a list ('- ' items){length}", ("length", (object?)ListLengthOf(property) ?? "")),
            ShapeKind.Record => Domain.Phrase.Of("config.expect.mapping", "a mapping of keys ({keys})", ("keys", string.Join(", ", Shape.Properties(type).Select(p => p.Key)))),
            ShapeKind.String when PatternPhrase(property) is null => LengthOf(property) is { } length
                ? Domain.Phrase.Of("config.expect.textOf", "text of {length}{default}", ("length", length), ("default", suffix))
                : Domain.Phrase.Of("config.expect.text", "text{default}", ("default", suffix)),
            _ => Domain.Phrase.Of("config.expect.other", "{expected}{default}", ("expected", Expectation(type, property)), ("default", suffix)),
        };
    }

    /// <summary>The [Range] of a property as a phrase: " from 0.1 to 60", " at least 0 and less than 1"; null without one.</summary>
    private static Domain.Phrase? RangeOf(PropertyInfo? property)
    {
        if (property?.GetCustomAttribute<RangeAttribute>() is not { } range)
        {
            return null;
        }

        string min = Bound(range.Minimum);
        string max = Bound(range.Maximum);
        return (range.MinimumIsExclusive, range.MaximumIsExclusive) switch
        {
            (false, false) => Domain.Phrase.Of("config.range.fromTo", " from {min} to {max}", ("min", min), ("max", max)),
            (true, false) => Domain.Phrase.Of("config.range.aboveAtMost", " greater than {min} and at most {max}", ("min", min), ("max", max)),
            (false, true) => Domain.Phrase.Of("config.range.atLeastBelow", " at least {min} and less than {max}", ("min", min), ("max", max)),
            _ => Domain.Phrase.Of("config.range.between", " greater than {min} and less than {max}", ("min", min), ("max", max)),
        };
    }

    /// <summary>An error when <paramref name="value"/> breaks the property's [Range], else null.</summary>
    public static Domain.Phrase? CheckNumber(double value, string written, Type type, PropertyInfo? property, object? defaultValue)
    {
        RangeAttribute? range = property?.GetCustomAttribute<RangeAttribute>();
        if (range is null)
        {
            return null;
        }

        double min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        double max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        bool tooLow = range.MinimumIsExclusive ? value <= min : value < min;
        bool tooHigh = range.MaximumIsExclusive ? value >= max : value > max;
        return tooLow || tooHigh
            ? Domain.Phrase.Of("config.outOfRange", "{written} is out of range: expected {expected}", ("written", written), ("expected", ExpectationPhrase(type, property, defaultValue)))
            : null;
    }

    /// <summary>An error message when <paramref name="value"/> breaks the property's [Required], [StringLength] or [RegularExpression], else null.</summary>
    public static string? CheckString(string value, PropertyInfo? property, object? defaultValue)
    {
        if (property is null)
        {
            return null;
        }

        string expected = Expectation(typeof(string), property) + DefaultSuffix(defaultValue);
        bool required = property.GetCustomAttribute<RequiredAttribute>() is not null;
        StringLengthAttribute? length = property.GetCustomAttribute<StringLengthAttribute>();
        if (value.Length == 0 && (required || length?.MinimumLength > 0))
        {
            return "must not be empty: expected " + expected;
        }

        if (length is not null && value.Length > length.MaximumLength)
        {
            return $"is too long ({value.Length} characters): expected {expected}";
        }

        if (length is not null && value.Length < length.MinimumLength)
        {
            return $"is too short ({value.Length} characters): expected {expected}";
        }

        RegularExpressionAttribute? pattern = property.GetCustomAttribute<RegularExpressionAttribute>();
        if (pattern is not null && !FullMatch(value, pattern.Pattern))
        {
            return $"'{value}' is not valid: expected {expected}";
        }

        return null;
    }

    /// <summary>An error message when a list's item count breaks [MinLength], [MaxLength] or [Length], else null.</summary>
    public static string? CheckCount(int count, PropertyInfo? property)
    {
        (int min, int max) = ListBounds(property);
        return count < min || count > max
            ? $"has {count} item{(count == 1 ? "" : "s")}: expected {Expectation(typeof(List<object>), property)}"
            : null;
    }

    /// <summary>
    /// A regular expression in words where it is the usual <c>^[class]{m,n}$</c> shape:
    /// <c>^[A-Za-z0-9_-]{1,32}$</c> → "1 to 32 characters, each a letter, digit, '_' or '-'". Null when it is not.
    /// </summary>
    public static string? DescribePattern(string pattern)
    {
        if (!pattern.StartsWith("^[", StringComparison.Ordinal) || !pattern.EndsWith('$'))
        {
            return null;
        }

        int close = pattern.IndexOf(']', 2);
        if (close < 0)
        {
            return null;
        }

        string? members = DescribeClass(pattern[2..close]);
        string? count = DescribeCount(pattern[(close + 1)..^1]);
        return members is null || count is null ? null : count + ", each " + members;
    }

    private static bool FullMatch(string value, string pattern)
    {
        Match match = Regex.Match(value, pattern, RegexOptions.CultureInvariant, RegexTimeout);
        return match.Success && match.Index == 0 && match.Length == value.Length;
    }

    private static string StringPhrase(PropertyInfo? property) =>
        PatternPhrase(property) ?? (LengthPhrase(property) is { } length ? "text of " + length : "text");

    private static string? PatternPhrase(PropertyInfo? property) =>
        property?.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern
            ? DescribePattern(pattern.Pattern) ?? "text matching the pattern " + pattern.Pattern
            : null;

    /// <summary>"1 to 200 characters", "at most 200 characters", or null without [StringLength].</summary>
    private static string? LengthPhrase(PropertyInfo? property) => LengthOf(property)?.English;

    /// <summary><see cref="LengthPhrase"/> as a phrase the console words in its reader's language.</summary>
    private static Domain.Phrase? LengthOf(PropertyInfo? property)
    {
        if (property?.GetCustomAttribute<StringLengthAttribute>() is not { } length)
        {
            return null;
        }

        string max = length.MaximumLength.ToString(CultureInfo.InvariantCulture);
        return length.MinimumLength > 0
            ? Domain.Phrase.Of("config.length.fromTo", "{min} to {max} characters", ("min", length.MinimumLength), ("max", max))
            : Domain.Phrase.Of("config.length.atMost", "at most {max} characters", ("max", max));
    }

    private static string Bound(object value) => FormatNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture));

    private static string RangePhrase(PropertyInfo? property, string lead)
    {
        RangeAttribute? range = property?.GetCustomAttribute<RangeAttribute>();
        if (range is null)
        {
            return "";
        }

        string min = Bound(range.Minimum);
        string max = Bound(range.Maximum);
        if (!range.MinimumIsExclusive && !range.MaximumIsExclusive)
        {
            return $"{lead}from {min} to {max}";
        }

        string low = range.MinimumIsExclusive ? "greater than " : "at least ";
        string high = range.MaximumIsExclusive ? "less than " : "at most ";
        return $"{lead}{low}{min} and {high}{max}";
    }

    private static (int Min, int Max) ListBounds(PropertyInfo? property)
    {
        int min = 0;
        int max = int.MaxValue;
        if (property?.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            min = minLength.Length;
        }

        if (property?.GetCustomAttribute<MaxLengthAttribute>() is { Length: > 0 } maxLength)
        {
            max = maxLength.Length;
        }

        if (property?.GetCustomAttribute<LengthAttribute>() is { } both)
        {
            min = both.MinimumLength;
            max = both.MaximumLength;
        }

        return (min, max);
    }

    private static string ListLengthPhrase(PropertyInfo? property) => ListLengthOf(property)?.English ?? "";

    /// <summary>A list's [MinLength], [MaxLength] or [Length] as a phrase: " of exactly 2 items", " of at least 3 items"; null without one.</summary>
    private static Domain.Phrase? ListLengthOf(PropertyInfo? property)
    {
        (int min, int max) = ListBounds(property);
        return (min > 0, max < int.MaxValue) switch
        {
            (true, true) when min == max => Domain.Phrase.Of("config.items.exactly", " of exactly {count} items", ("count", min)),
            (true, true) => Domain.Phrase.Of("config.items.fromTo", " of {min} to {max} items", ("min", min), ("max", max)),
            (true, false) => Domain.Phrase.Of("config.items.atLeast", " of at least {min} items", ("min", min)),
            (false, true) => Domain.Phrase.Of("config.items.atMost", " of at most {max} items", ("max", max)),
            _ => null,
        };
    }

    private static string? DescribeCount(string quantifier)
    {
        if (quantifier == "+")
        {
            return "one or more characters";
        }

        if (quantifier == "*")
        {
            return "any number of characters";
        }

        if (quantifier.Length < 3 || quantifier[0] != '{' || quantifier[^1] != '}')
        {
            return null;
        }

        string[] bounds = quantifier[1..^1].Split(',');
        if (bounds.Length == 1 && int.TryParse(bounds[0], CultureInfo.InvariantCulture, out int exactly))
        {
            return $"exactly {exactly.ToString(CultureInfo.InvariantCulture)} characters";
        }

        if (bounds.Length != 2 || !int.TryParse(bounds[0], CultureInfo.InvariantCulture, out int min))
        {
            return null;
        }

        string low = min.ToString(CultureInfo.InvariantCulture);
        if (bounds[1].Length == 0)
        {
            return $"at least {low} characters";
        }

        return int.TryParse(bounds[1], CultureInfo.InvariantCulture, out int max)
            ? $"{low} to {max.ToString(CultureInfo.InvariantCulture)} characters"
            : null;
    }

    private static string? DescribeClass(string members)
    {
        bool upper = false;
        bool lower = false;
        bool digit = false;
        var others = new List<string>();
        for (int i = 0; i < members.Length; i++)
        {
            char c = members[i];
            if (c == '\\')
            {
                if (i + 1 >= members.Length || char.IsLetterOrDigit(members[i + 1]))
                {
                    return null; // \d, \w and friends: leave the pattern as it is
                }

                others.Add("'" + members[++i] + "'");
            }
            else if (c == '^' && i == 0)
            {
                return null; // a negated class
            }
            else if (i + 2 < members.Length && members[i + 1] == '-')
            {
                string range = members.Substring(i, 3);
                switch (range)
                {
                    case "A-Z":
                        upper = true;
                        break;
                    case "a-z":
                        lower = true;
                        break;
                    case "0-9":
                        digit = true;
                        break;
                    default:
                        others.Add($"a character from '{range[0]}' to '{range[2]}'");
                        break;
                }

                i += 2;
            }
            else
            {
                others.Add("'" + c + "'");
            }
        }

        var words = new List<string>();
        if (upper && lower)
        {
            words.Add("a letter");
        }
        else if (lower)
        {
            words.Add("a lowercase letter");
        }
        else if (upper)
        {
            words.Add("an uppercase letter");
        }

        if (digit)
        {
            words.Add(words.Count == 0 ? "a digit" : "digit");
        }

        words.AddRange(others);
        return JoinWithOr(words);
    }

    private static string? JoinWithOr(List<string> words)
    {
        if (words.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder(words[0]);
        for (int i = 1; i < words.Count; i++)
        {
            text.Append(i == words.Count - 1 ? " or " : ", ").Append(words[i]);
        }

        return text.ToString();
    }
}
