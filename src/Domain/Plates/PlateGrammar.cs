using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CrosswalkWatch.Domain.Plates;

/// <summary>
/// The mainland China plate grammar of DOMAIN.md: ordinary 7-character plates (province, a letter, five letters or
/// digits, the last possibly one of 挂 学 警 港 澳 使 领) and 8-character new-energy plates (small:
/// province, letter, [DABCEFGHJK], letter or digit, four digits; large: province, letter, five digits, [DABCEFGHJK]).
/// Letters never include I or O. Plates are kept without the separator dot: <c>京A12345</c>.
/// </summary>
public static class PlateGrammar
{
    /// <summary>The 31 province-level characters that open a plate.</summary>
    public const string Provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

    /// <summary>Characters that may close an ordinary plate instead of a letter or digit.</summary>
    public const string Suffixes = "挂学警港澳使领";

    /// <summary>Plate letters: A–Z without I and O.</summary>
    public const string Letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";

    public const string Digits = "0123456789";

    /// <summary>The letters that mark a new-energy plate as electric (D), hybrid (F) or the other energy kinds.</summary>
    public const string EnergyLetters = "DABCEFGHJK";

    private const string LettersAndDigits = Letters + Digits;

    /// <summary>
    /// Plate text as OCR or a person types it, reduced to plate characters: full-width forms made half-width, upper
    /// case, separators and anything that is not a plate character dropped (<c>·</c>, <c>-</c>, spaces), and after the
    /// second position O read as 0 and I as 1 (plates have no I or O; the second position stays a letter).
    /// </summary>
    public static string Normalise(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = new StringBuilder(raw.Length);
        foreach (var original in raw)
        {
            var c = original is >= '\uFF01' and <= '\uFF5E' ? (char)(original - 0xFEE0) : original; // full-width ASCII
            c = char.ToUpperInvariant(c);
            if (c is >= 'A' and <= 'Z' or >= '0' and <= '9' || Provinces.Contains(c, StringComparison.Ordinal) || Suffixes.Contains(c, StringComparison.Ordinal))
            {
                if (text.Length >= 2)
                {
                    c = c switch { 'O' => '0', 'I' => '1', _ => c };
                }

                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>Normalises <paramref name="raw"/> and checks it against the grammar.</summary>
    public static bool TryParse(string raw, out PlateNumber plate) => TryParse(raw, out plate, out _);

    /// <summary>Normalises <paramref name="raw"/> and checks it; <paramref name="error"/> says what is wrong and where (a phrase the console words in its reader's language).</summary>
    public static bool TryParse(string raw, out PlateNumber plate, [NotNullWhen(false)] out Phrase? error)
    {
        var text = Normalise(raw);
        plate = default;
        error = Check(text, out var kind);
        if (error is not null)
        {
            return false;
        }

        plate = new PlateNumber(text, kind);
        return true;
    }

    /// <summary>The plate of <paramref name="raw"/>, or a <see cref="FormatException"/> saying what is wrong.</summary>
    public static PlateNumber Parse(string raw) =>
        TryParse(raw, out var plate, out var error) ? plate : throw new FormatException($"'{raw}' is not a plate: {error}");

    public static bool IsValid(string raw) => TryParse(raw, out _);

    /// <summary>
    /// Every character the grammar allows at <paramref name="index"/> of a plate of <paramref name="length"/>
    /// characters (7 or 8), over all plate kinds of that length; empty for any other length or index. For reading
    /// under the grammar: pick the most probable allowed character, then check the whole with <see cref="TryParse(string, out PlateNumber)"/>.
    /// </summary>
    public static string AllowedAt(int index, int length) => (length, index) switch
    {
        (7 or 8, 0) => Provinces,
        (7 or 8, 1) => Letters,
        (7, >= 2 and <= 5) => LettersAndDigits,
        (7, 6) => LettersAndDigits + Suffixes,
        (8, 2) => EnergyLetters + Digits,
        (8, 3) => LettersAndDigits,
        (8, >= 4 and <= 6) => Digits,
        (8, 7) => Digits + EnergyLetters,
        _ => string.Empty,
    };

    /// <summary>Null when <paramref name="text"/> (already normalised) is a plate; otherwise the first thing wrong.</summary>
    private static Phrase? Check(string text, out PlateKind kind)
    {
        kind = PlateKind.Ordinary;
        if (text.Length is not (7 or 8))
        {
            return text.Length == 0
                ? Phrase.Of("plate.noCharacters", "no plate characters")
                : Phrase.Of("plate.length", "{count} plate characters; a plate has 7 (ordinary) or 8 (new-energy)", ("count", text.Length));
        }

        if (!Provinces.Contains(text[0], StringComparison.Ordinal))
        {
            return Phrase.Of("plate.province", "position 1 must be a province character ({provinces}), got '{got}'", ("provinces", Provinces), ("got", text[0]));
        }

        if (!Letters.Contains(text[1], StringComparison.Ordinal))
        {
            return Phrase.Of("plate.letter", "position 2 must be a letter A–Z other than I and O, got '{got}'", ("got", text[1]));
        }

        if (text.Length == 7)
        {
            for (var i = 2; i < 7; i++)
            {
                var allowed = AllowedAt(i, 7);
                if (!allowed.Contains(text[i], StringComparison.Ordinal))
                {
                    return i == 6
                        ? Phrase.Of("plate.last", "position 7 must be a letter, a digit or one of {suffixes}, got '{got}'", ("suffixes", Suffixes), ("got", text[6]))
                        : Phrase.Of("plate.letterOrDigit", "position {position} must be a letter (not I or O) or a digit, got '{got}'", ("position", i + 1), ("got", text[i]));
                }
            }

            return null;
        }

        // New-energy: small cars carry the energy letter third, large vehicles last.
        var small = EnergyLetters.Contains(text[2], StringComparison.Ordinal)
            && LettersAndDigits.Contains(text[3], StringComparison.Ordinal)
            && AllDigits(text.AsSpan(4, 4));
        var large = AllDigits(text.AsSpan(2, 5)) && EnergyLetters.Contains(text[7], StringComparison.Ordinal);
        if (small)
        {
            kind = PlateKind.NewEnergySmall;
            return null;
        }

        if (large)
        {
            kind = PlateKind.NewEnergyLarge;
            return null;
        }

        return Phrase.Of("plate.newEnergy", "'{plate}' is neither a small new-energy plate (province, letter, one of {energy}, letter or digit, 4 digits) nor a large one (province, letter, 5 digits, one of {energy})", ("plate", text), ("energy", EnergyLetters));
    }

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The kinds of plate the grammar tells apart by their characters.</summary>
public enum PlateKind
{
    /// <summary>7 characters: blue, yellow, or by its last character police (警), coach (学), trailer (挂), Hong Kong/Macau (港 澳), embassy/consulate (使 领).</summary>
    Ordinary,

    /// <summary>8 characters, energy letter third: small new-energy car, green.</summary>
    NewEnergySmall,

    /// <summary>8 characters, energy letter last: large new-energy vehicle, yellow-green.</summary>
    NewEnergyLarge,
}

/// <summary>Plate background colours (DOMAIN.md): blue small cars, yellow large vehicles, white police, black cross-border and consulate, green new-energy.</summary>
public enum PlateColour
{
    Unknown,
    Blue,
    Yellow,
    White,
    Black,
    Green,
}

/// <summary>A plate that passed the grammar, in normal form (no separator).</summary>
public readonly record struct PlateNumber(string Text, PlateKind Kind)
{
    public char Province => Text[0];

    /// <summary>The closing special character (挂 学 警 港 澳 使 领), if any.</summary>
    public char? Suffix => Kind == PlateKind.Ordinary && PlateGrammar.Suffixes.Contains(Text[6], StringComparison.Ordinal) ? Text[6] : null;

    /// <summary>The colour the characters imply, or Unknown where the colour must be seen (blue or yellow ordinary plates).</summary>
    public PlateColour ImpliedColour => Kind != PlateKind.Ordinary ? PlateColour.Green : Suffix switch
    {
        '警' => PlateColour.White,
        '港' or '澳' or '使' or '领' => PlateColour.Black,
        '学' or '挂' => PlateColour.Yellow,
        _ => PlateColour.Unknown,
    };

    public override string ToString() => Text;
}
