namespace CrosswalkWatch.Testing;

/// <summary>
/// The crossing footage as a camera that goes wrong sends it, made with ffmpeg: <see cref="Part"/> seconds as it is,
/// then as long through a filter (shifted, turned, a patch over the lens, blurred, dark), at 10 fps with a key frame a
/// second and no B-frames, so the camera simulator can serve it by stream copy, in a loop.
/// </summary>
public static class FootageVariants
{
    /// <summary>Seconds of the footage as it is, then changed.</summary>
    public const double Part = 13;

    /// <summary>Shifted 32 px (5 %) to the right, the uncovered strip smeared as a lens sees past its old edge.</summary>
    public const string Shifted = "crop=iw-32:ih:0:0,pad=iw+32:ih:32:0,fillborders=left=32:mode=smear";

    public const string Turned = "rotate=3*PI/180:fillcolor=gray";

    public const string Blocked = "drawbox=x=0:y=0:w=iw*0.6:h=ih:color=0x505050@1:t=fill";

    public const string Blurred = "gblur=sigma=4";

    public const string Dark = "lutyuv=y=val*0.06:u=128:v=128";

    /// <summary>
    /// Makes FOLDER/NAME.mp4: the footage as it is for <see cref="Part"/> seconds, then through <paramref name="filter"/>
    /// (null: as it is again) for <paramref name="changedSeconds"/> (default <see cref="Part"/>; longer repeats the footage).
    /// </summary>
    public static async Task<string> MakeAsync(string folder, string name, string? filter, double changedSeconds = Part)
    {
        var path = Path.Combine(folder, $"{name}.mp4");
        var graph = $"[0:v]fps=10,trim=duration={Part},setpts=PTS-STARTPTS[a];[1:v]fps=10,trim=duration={changedSeconds},setpts=PTS-STARTPTS,{filter ?? "null"}[c];[a][c]concat=n=2:v=1:a=0,format=yuv420p[v]";
        var loops = (int)Math.Ceiling(changedSeconds / Part);
        var result = await CwwProcess.RunProgramAsync(
            "ffmpeg", folder, TimeSpan.FromMinutes(2), null,
            "-v", "error", "-y", "-i", TestAssets.CrosswalkFootage, "-stream_loop", loops.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", TestAssets.CrosswalkFootage,
            "-filter_complex", graph, "-map", "[v]", "-an",
            "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-bf", "0", "-threads", "1", path).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, $"ffmpeg could not make the {name} variant of the footage: {result.Error}");
        return path;
    }
}
