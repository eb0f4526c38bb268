namespace CrosswalkWatch.Web.Texts;

/// <summary>
/// Sentences the engine keeps in English only — stored before it kept their phrases beside them, or stored where it
/// keeps no phrase — with the keys of the phrases they were made from, so that the console recognises them at read time
/// and words them in its reader's language (<see cref="ConsoleTexts.Recognise"/>). A more particular sentence comes
/// before one that would also match it. Free text inside them (a reopening's reason, a name) stays as typed.
/// </summary>
public static class StoredEnglish
{
    /// <summary>
    /// Why a notice was withdrawn: the count fell, and why (a case decided or reopened, the registry changed); in the
    /// notices of before migration 0015 and in every notice-withdrawn entry of the audit log.
    /// </summary>
    public static readonly IReadOnlyList<string> WithdrawnNotice =
    [
        "notice.countFell", "notice.caseReopened", "notice.caseDecided", "notice.registryDropped",
        "decision.confirmed", "decision.rejected", "decision.corrected", "decision.reopened",
    ];

    /// <summary>Why a plate reading is in doubt, as a case's match keeps it after "plate in doubt: ".</summary>
    public static readonly IReadOnlyList<string> PlateDoubt = ["plate.notValid", "plate.weakCharacter", "plate.tooFewReads", "plate.readsDisagree"];

    /// <summary>Why a push to the platform was given up (a dead letter), as the pusher keeps it; the more particular first.</summary>
    public static readonly IReadOnlyList<string> PushError =
    [
        "push.gaveUp", "push.refused", "push.doesNotVerify", "push.evidenceGone", "push.noAnswer", "push.answered", "push.cannotSend",
    ];
}
