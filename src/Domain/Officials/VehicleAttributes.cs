namespace CrosswalkWatch.Domain.Officials;

/// <summary>
/// The kind of vehicle a registry row may give (机动车类型, simplified to what a camera can tell apart). A detector's
/// class (COCO car, bus, truck, motorcycle) is one of <see cref="Car"/>, <see cref="Bus"/>, <see cref="Truck"/> or
/// <see cref="Motorcycle"/>; which registered kinds each may be is <see cref="VehicleNames.Fits"/>.
/// </summary>
public enum VehicleKind
{
    /// <summary>Saloon or hatchback (轿车).</summary>
    Car,

    /// <summary>Sport-utility or off-road vehicle (越野车, SUV).</summary>
    Suv,

    /// <summary>Van, MPV or minibus (面包车, 小型普通客车).</summary>
    Van,

    /// <summary>Bus or coach (大中型客车).</summary>
    Bus,

    /// <summary>Truck or pickup (货车, 皮卡).</summary>
    Truck,

    /// <summary>Motorcycle or motor tricycle (摩托车).</summary>
    Motorcycle,
}

/// <summary>
/// The body colour a registry row may give and the colour measured on the vehicle crop: the colour codes of Chinese
/// vehicle registration (GA 24.8: 白 A, 灰 B, 黄 C, 粉 D, 红 E, 紫 F, 绿 G, 蓝 H, 棕 I, 黑 J) with silver (银) kept as
/// grey, as registration does, and orange (橙) added because cameras see it and registries write it either as red or
/// as yellow. Neighbours a camera confuses under light and shade (<see cref="VehicleNames.Near"/>) are not a mismatch.
/// </summary>
public enum BodyColour
{
    White,
    Grey,
    Black,
    Red,
    Orange,
    Yellow,
    Green,
    Blue,
    Purple,
    Pink,
    Brown,
}

/// <summary>Names of kinds and colours as people write them (English or Chinese), and which ones a camera cannot tell apart.</summary>
public static class VehicleNames
{
    /// <summary>Every accepted name of a kind, English and Chinese, case-insensitive.</summary>
    public static IReadOnlyDictionary<string, VehicleKind> Kinds { get; } = new Dictionary<string, VehicleKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["car"] = VehicleKind.Car,
        ["suv"] = VehicleKind.Suv,
        ["van"] = VehicleKind.Van,
        ["mpv"] = VehicleKind.Van,
        ["minibus"] = VehicleKind.Van,
        ["bus"] = VehicleKind.Bus,
        ["truck"] = VehicleKind.Truck,
        ["pickup"] = VehicleKind.Truck,
        ["motorcycle"] = VehicleKind.Motorcycle,
        ["轿车"] = VehicleKind.Car,
        ["越野车"] = VehicleKind.Suv,
        ["面包车"] = VehicleKind.Van,
        ["客车"] = VehicleKind.Bus,
        ["货车"] = VehicleKind.Truck,
        ["皮卡"] = VehicleKind.Truck,
        ["摩托车"] = VehicleKind.Motorcycle,
    };

    /// <summary>Every accepted name of a colour, English and Chinese (one character or with 色), case-insensitive.</summary>
    public static IReadOnlyDictionary<string, BodyColour> Colours { get; } = new Dictionary<string, BodyColour>(StringComparer.OrdinalIgnoreCase)
    {
        ["white"] = BodyColour.White,
        ["grey"] = BodyColour.Grey,
        ["gray"] = BodyColour.Grey,
        ["silver"] = BodyColour.Grey,
        ["black"] = BodyColour.Black,
        ["red"] = BodyColour.Red,
        ["orange"] = BodyColour.Orange,
        ["yellow"] = BodyColour.Yellow,
        ["gold"] = BodyColour.Yellow,
        ["green"] = BodyColour.Green,
        ["blue"] = BodyColour.Blue,
        ["purple"] = BodyColour.Purple,
        ["pink"] = BodyColour.Pink,
        ["brown"] = BodyColour.Brown,
        ["白"] = BodyColour.White,
        ["灰"] = BodyColour.Grey,
        ["银"] = BodyColour.Grey,
        ["黑"] = BodyColour.Black,
        ["红"] = BodyColour.Red,
        ["橙"] = BodyColour.Orange,
        ["黄"] = BodyColour.Yellow,
        ["金"] = BodyColour.Yellow,
        ["绿"] = BodyColour.Green,
        ["蓝"] = BodyColour.Blue,
        ["紫"] = BodyColour.Purple,
        ["粉"] = BodyColour.Pink,
        ["棕"] = BodyColour.Brown,
        ["白色"] = BodyColour.White,
        ["灰色"] = BodyColour.Grey,
        ["银色"] = BodyColour.Grey,
        ["黑色"] = BodyColour.Black,
        ["红色"] = BodyColour.Red,
        ["橙色"] = BodyColour.Orange,
        ["黄色"] = BodyColour.Yellow,
        ["金色"] = BodyColour.Yellow,
        ["绿色"] = BodyColour.Green,
        ["蓝色"] = BodyColour.Blue,
        ["紫色"] = BodyColour.Purple,
        ["粉色"] = BodyColour.Pink,
        ["棕色"] = BodyColour.Brown,
    };

    /// <summary>
    /// Colours a camera confuses under light, shade and white balance: each pair is not a mismatch. Grey (silver)
    /// between white and black; red beside orange, pink and brown (dark red); orange beside yellow and brown; yellow
    /// (gold, champagne) beside brown; blue beside purple.
    /// </summary>
    private static readonly (BodyColour A, BodyColour B)[] Neighbours =
    [
        (BodyColour.White, BodyColour.Grey),
        (BodyColour.Grey, BodyColour.Black),
        (BodyColour.Red, BodyColour.Orange),
        (BodyColour.Red, BodyColour.Pink),
        (BodyColour.Red, BodyColour.Brown),
        (BodyColour.Orange, BodyColour.Yellow),
        (BodyColour.Orange, BodyColour.Brown),
        (BodyColour.Yellow, BodyColour.Brown),
        (BodyColour.Blue, BodyColour.Purple),
    ];

    /// <summary>The name written in files and shown to people (lower case English).</summary>
    public static string Name(VehicleKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The name written in files and shown to people (lower case English).</summary>
    public static string Name(BodyColour colour) => colour.ToString().ToLowerInvariant();

    /// <summary>The same colour, or a neighbour a camera cannot tell apart from it.</summary>
    public static bool Near(BodyColour a, BodyColour b) => a == b || Array.Exists(Neighbours, n => (n.A == a && n.B == b) || (n.A == b && n.B == a));

    /// <summary>The kind a detector's label names (COCO <c>car</c>, <c>bus</c>, <c>truck</c>, <c>motorcycle</c>/<c>motorbike</c>); null for any other label.</summary>
    public static VehicleKind? KindOfDetectorLabel(string label) => label.Trim().ToUpperInvariant() switch
    {
        "CAR" => VehicleKind.Car,
        "BUS" => VehicleKind.Bus,
        "TRUCK" => VehicleKind.Truck,
        "MOTORCYCLE" or "MOTORBIKE" => VehicleKind.Motorcycle,
        _ => null,
    };

    /// <summary>
    /// Whether a vehicle the detector classed as <paramref name="detected"/> may be registered as
    /// <paramref name="registered"/>. A COCO detector calls SUVs, MPVs and vans "car" or "truck" and minibuses "bus",
    /// and pickups "truck"; a saloon is never its "bus" or "truck", nor a bus or truck its "car", and a motorcycle is
    /// only a motorcycle.
    /// </summary>
    public static bool Fits(VehicleKind detected, VehicleKind registered) => detected switch
    {
        VehicleKind.Car => registered is VehicleKind.Car or VehicleKind.Suv or VehicleKind.Van,
        VehicleKind.Truck => registered is VehicleKind.Truck or VehicleKind.Suv or VehicleKind.Van,
        VehicleKind.Bus => registered is VehicleKind.Bus or VehicleKind.Van,
        VehicleKind.Motorcycle => registered is VehicleKind.Motorcycle,
        _ => detected == registered,
    };
}
