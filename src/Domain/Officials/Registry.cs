using CrosswalkWatch.Domain.Plates;

namespace CrosswalkWatch.Domain.Officials;

/// <summary>A public official the campaign holds to account; <see cref="Authority"/> is the cadre-management body cases go to.</summary>
public sealed record Official(string Id, string Name, string Department, string Authority, string Notes);

/// <summary>How an official is tied to a vehicle.</summary>
public enum VehicleRelation
{
    /// <summary>The official's own car.</summary>
    Own,

    /// <summary>An official (department) car the official is assigned or drives.</summary>
    Official,

    /// <summary>A family member's car the official is recorded as using.</summary>
    Family,
}

/// <summary>
/// A plate tied to an official from <see cref="ValidFrom"/> to <see cref="ValidTo"/>, both inclusive; open-ended when
/// <see cref="ValidTo"/> is null. The same plate may belong to different officials in periods that do not overlap.
/// </summary>
public sealed record RegisteredVehicle(
    string OfficialId,
    string Plate,
    PlateColour Colour,
    VehicleRelation Relation,
    DateOnly ValidFrom,
    DateOnly? ValidTo)
{
    /// <summary>The vehicle's kind as registered, when the registry gives it (checked against the detector's class, for cloned plates).</summary>
    public VehicleKind? Kind { get; init; }

    /// <summary>The body colour as registered, when the registry gives it (checked against the colour measured on the vehicle crop).</summary>
    public BodyColour? BodyColour { get; init; }

    /// <summary>The make (and model) as registered, free text such as 丰田 or Toyota Corolla; empty when not given. Shown to the reviewer, not compared by machine.</summary>
    public string Make { get; init; } = "";

    /// <summary>Whether the registry describes the vehicle at all (kind, colour or make).</summary>
    public bool Described => Kind is not null || BodyColour is not null || Make.Length > 0;

    public bool ValidOn(DateOnly date) => date >= ValidFrom && (ValidTo is not { } to || date <= to);

    /// <summary>What identifies this entry across imports: the plate and the day its period starts.</summary>
    public (string Plate, DateOnly ValidFrom) Key => (Plate, ValidFrom);
}

/// <summary>The whole registry at one moment: what an import replaces and what the matcher is built from.</summary>
public sealed record RegistrySnapshot(IReadOnlyList<Official> Officials, IReadOnlyList<RegisteredVehicle> Vehicles)
{
    public static RegistrySnapshot Empty { get; } = new([], []);

    /// <summary>What changed from <paramref name="previous"/> to this snapshot, counted per official and per vehicle entry.</summary>
    public RegistryChanges ChangesFrom(RegistrySnapshot previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var (officialsAdded, officialsChanged, officialsRemoved) = Compare(previous.Officials, Officials, o => o.Id);
        var (vehiclesAdded, vehiclesChanged, vehiclesRemoved) = Compare(previous.Vehicles, Vehicles, v => v.Key);
        return new RegistryChanges(officialsAdded, officialsChanged, officialsRemoved, vehiclesAdded, vehiclesChanged, vehiclesRemoved);
    }

    private static (int Added, int Changed, int Removed) Compare<T, TKey>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, TKey> key)
        where TKey : notnull
    {
        var old = new Dictionary<TKey, T>(before.Count);
        foreach (var item in before)
        {
            old[key(item)] = item;
        }

        int added = 0, changed = 0, kept = 0;
        foreach (var item in after)
        {
            if (!old.TryGetValue(key(item), out var was))
            {
                added++;
            }
            else
            {
                kept++;
                if (!EqualityComparer<T>.Default.Equals(was, item))
                {
                    changed++;
                }
            }
        }

        return (added, changed, old.Count - kept);
    }
}

/// <summary>Added, changed and removed officials and vehicle entries between two snapshots.</summary>
public readonly record struct RegistryChanges(
    int OfficialsAdded,
    int OfficialsChanged,
    int OfficialsRemoved,
    int VehiclesAdded,
    int VehiclesChanged,
    int VehiclesRemoved);
