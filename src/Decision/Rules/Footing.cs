using CrosswalkWatch.Domain.Detection;

namespace CrosswalkWatch.Decision.Rules;

/// <summary>
/// Where a pedestrian stands when the box does not end at their feet. The rule places pedestrians by the bottom of
/// their boxes, and from an elevated camera a bottom that is off moves them across the road: feet hidden behind a car
/// or the bus cut the box short (they read as further away); a bollard or sign on a refuge merges into the box and
/// stretches it down (they read as nearer, off the refuge into a lane). Both change the box's height within a frame
/// or two, from below, with its top in place; walking changes the height slowly and moves the top with it. So the
/// height is learnt from <see cref="Learnt"/> boxes in a row that agree on it (the first box may itself be odd),
/// then followed smoothly while the box is sound (a box off it by more than <see cref="Share"/> whose top held
/// still is cut or stretched), and while it is cut or stretched the bottom is put where that height puts it,
/// until the height comes back, the top moves on (the box is following the person again) or
/// <see cref="Limit"/> has passed (the new height is theirs now). A box cut by the picture's edge is taken as it is.
/// A box stretched bit by bit over several frames (a refuge's kerb merging in as the pedestrian stops on it) is caught
/// against a reference box that moves on only with the top (<see cref="TopShare"/>). A box is back to its height
/// only well within the share. After the pedestrian was out of sight for longer than <see cref="Gap"/>, the height is
/// learnt again: a box then is not one frame after the last, so a different height is no sign of a cut or a stretch.
/// </summary>
public sealed class Footing
{
    /// <summary>A box shorter or taller than the usual height by more than this share, from below: cut or stretched.</summary>
    public const double Share = 0.2;

    /// <summary>
    /// Cut or stretched longer than this while the head moves: the box's height is the pedestrian's height now. A
    /// pedestrian whose head stays where it was stands where they stood, however long (seed 849141's median-refuge clip
    /// in shake: the refuge's kerb stretched the box of a pedestrian waiting on it for 6 s, and after 5 s the feet read
    /// in the lane beside it).
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    private const double Gain = 0.3;

    /// <summary>
    /// A box less than this many times as high as it is wide (in pixels) is not a whole standing person: a track that
    /// starts with the legs hidden behind a car does not learn its usual height from such a box (it would take the
    /// legs coming into view for a stretch).
    /// </summary>
    public const double Standing = 1.8;

    /// <summary>The usual height is known once this many boxes in a row agreed on it (within <see cref="Share"/>).</summary>
    private const int Learnt = 3;

    /// <summary>
    /// A box whose bottom has moved down from the reference box by more than <see cref="Share"/> of its height, frame by
    /// frame, while its top moved less than this share of that, is stretched slowly: a person walking nearer moves
    /// their head about half as far as their feet, seen from above the road.
    /// </summary>
    private const double TopShare = 0.25;

    /// <summary>
    /// A box whose bottom stepped down by more than this share of the usual height from the last frame's, its top held
    /// (moved less than <see cref="TopShare"/> of the step), is stretched even under <see cref="Share"/>: walking nearer
    /// moves the bottom a few hundredths of the height a frame, and the head with it.
    /// </summary>
    private const double Step = 0.1;

    /// <summary>Out of sight longer than this: the height is learnt again.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromSeconds(0.5);

    private int _agreeing;
    private double? _height;
    private Box _last;
    private Box _reference;
    private DateTimeOffset _lastAt;
    private DateTimeOffset? _since;
    private DateTimeOffset? _above;
    private float _top;

    /// <summary>Whether the last box given was cut or stretched (its bottom replaced).</summary>
    public bool Estimated => _since is not null;

    /// <summary>The box with its bottom where the pedestrian stands (the box itself unless cut or stretched).</summary>
    /// <param name="aspect">The picture's width over its height (the box is normalised to it).</param>
    public Box Estimate(Box box, DateTimeOffset at, float aspect = 1f)
    {
        var last = _last;
        _last = box;
        if (at - _lastAt > Gap)
        {
            (_height, _since, _above) = (null, null, null); // seen again after a while: learnt again (so also the first box)
        }

        _lastAt = at;
        if (_height is null && box.Height < Standing * box.Width * aspect)
        {
            return box; // not learnt from yet
        }

        if (_height is not { } usual || !box.Whole)
        {
            (_height, _since, _above, _agreeing) = (box.Height, null, null, 1);
            return box;
        }

        // Stretched from above: the top rose in one step with the bottom held (the car behind merged into the box).
        // The bottom is where the feet are, and the height is not theirs: until the box is no taller than the usual
        // height again (or Limit), it is taken as it is and nothing is learnt from it. Learnt from (seed 851979's
        // adjacent-lane clip, compressed, at 10 fps), it made the boxes after it read as cut short: the feet were put
        // below them, off the crosswalk, for as long as the pedestrian crossed.
        if (_above is { } above)
        {
            if (box.Height > usual * (1 + (Share / 2)) && at - above < Limit)
            {
                return box;
            }

            _above = null;
        }
        else if (_since is null && last.Y1 - box.Y1 is var rise && rise > usual * Step &&
                 Math.Abs(box.Y2 - last.Y2) < TopShare * rise && box.Height > usual * (1 + (Share / 2)))
        {
            _above = at;
            return box;
        }

        var off = Math.Abs(box.Height - usual) > usual * Share;
        if (_agreeing < Learnt)
        {
            // Not known yet: the first box may itself be odd (a sign post merged in); a box off it starts again.
            (_height, _agreeing) = off ? (box.Height, 1) : (usual + (Gain * (box.Height - usual)), _agreeing + 1);
            _reference = box;
            return box;
        }

        if (_since is { } since)
        {
            // Back to its height only well within the share (a box stretched to the share's edge flickers about it).
            var back = Math.Abs(box.Height - usual) <= usual * Share / 2;
            var movedOn = Math.Abs(box.Y1 - _top) > usual * Share;
            var standing = Math.Abs(box.Y1 - _top) < usual * Share / 4; // the head where it was: so are the feet
            if (!back && !movedOn && (standing || at - since < Limit))
            {
                return box with { Y2 = (float)(box.Y1 + usual) };
            }

            _since = null; // back to its height, or the box moves on (it follows the person again), or it lasted
            _reference = box;
        }
        else
        {
            // Cut or stretched: off the usual height, not the last box's (a bollard that merges over two frames
            // stretches the box by less than the share in each, and the usual height would follow it down), or
            // stretched in one step by less than the share (seed 849141's median-refuge clip: the refuge's kerb merged
            // into the box as the pedestrian stopped on it, 13 % in one frame at 5 fps, the feet read in the lane).
            var change = box.Height - usual;
            var topMoved = Math.Abs(box.Y1 - last.Y1);
            var step = box.Y2 - last.Y2;
            if ((off && topMoved < Math.Abs(change) / 2) || (step > usual * Step && topMoved < TopShare * step))
            {
                (_since, _top) = (at, box.Y1);
                return box with { Y2 = (float)(box.Y1 + usual) };
            }

            // Stretched over more frames (a pedestrian stopping on a refuge, its kerb merging into the box bit by bit):
            // the usual height has followed part of the way, so the reference box's height is theirs. Only stretched:
            // a box shrinking back towards a reference that was itself stretched is the person again.
            var slid = box.Y2 - _reference.Y2;
            if (slid > _reference.Height * Share && Math.Abs(box.Y1 - _reference.Y1) < TopShare * slid)
            {
                (_height, _since, _top) = (_reference.Height, at, box.Y1);
                return box with { Y2 = box.Y1 + _reference.Height };
            }
        }

        // Followed smoothly: one odd box (the one that ended a cut, or a merge that moved on) does not become the
        // height the next cut is measured against. The reference moves on with the person.
        _height = usual + (Gain * (box.Height - usual));
        if (Math.Abs(box.Y1 - _reference.Y1) > usual * Share / 2)
        {
            _reference = box;
        }

        return box;
    }
}
