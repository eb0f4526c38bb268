using System.Text.RegularExpressions;
using CrosswalkWatch.Domain;
using CrosswalkWatch.Domain.Officials;
using CrosswalkWatch.Domain.Plates;
using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Texts;

namespace CrosswalkWatch.UnitTests.Web;

/// <summary>
/// The console's texts (src/Web/wwwroot/i18n/LANGUAGE/*.json): both languages hold the same keys with the same
/// {placeholders}, no text is empty, and every key a page (<c>{{t:key}}</c>), a script (<c>cww.t("key"</c>) or an
/// endpoint (<c>.T("key"</c>, <c>.Error(status, "key"</c>, a page's title) names exists — so no user ever sees a key.
/// </summary>
public sealed partial class ConsoleTextsTests
{
    private static readonly string Web = Path.Combine(TestAssets.RepositoryRoot, "src", "Web");
    private static readonly ConsoleTexts Texts = ConsoleTexts.Load(Path.Combine(Web, "wwwroot", "i18n"));

    [Fact]
    public void Languages_HoldTheSameKeysWithTheSamePlaceholders_AndNoEmptyText()
    {
        var chinese = Texts.Of("zh-CN");
        var english = Texts.Of("en");

        Assert.Empty(english.Keys.Except(chinese.Keys).Select(k => $"missing in zh-CN: {k}"));
        Assert.Empty(chinese.Keys.Except(english.Keys).Select(k => $"missing in en: {k}"));
        Assert.Empty(chinese.Concat(english).Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => $"empty: {t.Key}"));
        Assert.Empty(chinese.Keys
            .Where(k => !Placeholders(chinese[k]).SetEquals(Placeholders(english[k])))
            .Select(k => $"{k}: zh-CN has {{{string.Join("}, {", Placeholders(chinese[k]))}}}, en {{{string.Join("}, {", Placeholders(english[k]))}}}"));
    }

    [Fact]
    public void EveryKeyNamedByAPageScriptOrEndpoint_Exists()
    {
        var named = new List<(string Key, string Where)>();
        foreach (var file in Directory.GetFiles(Path.Combine(Web, "wwwroot", "pages"), "*.html", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(Web, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))))
        {
            var text = DocComment().Replace(File.ReadAllText(file), ""); // a C# comment that shows {{t:key}} names no key
            named.AddRange(PageKey().Matches(text).Select(m => (m.Groups[1].Value, file)));
            named.AddRange(CodeKey().Matches(text).Select(m => (m.Groups[1].Value, file)));
        }

        foreach (var file in Directory.GetFiles(Path.Combine(Web, "wwwroot", "static"), "*.js", SearchOption.AllDirectories))
        {
            named.AddRange(ScriptKey().Matches(File.ReadAllText(file)).Select(m => (m.Groups[1].Value, file)));
        }

        // Keys made from a value: every role's name, and the language switch's.
        named.AddRange(Roles.All.Append("other").Select(r => ($"common.role.{r}", "PageRenderer, PageRoutes")));
        named.AddRange(ConsoleTexts.Languages.Select(l => ($"common.language.{l}", "PageRenderer")));

        Assert.True(named.Count > 50, $"only {named.Count} keys found: is the scan looking in the right places?");
        var known = Texts.Of("zh-CN");
        Assert.Empty(named.Where(n => !known.ContainsKey(n.Key)).Select(n => $"{n.Key} (in {Path.GetRelativePath(Web, n.Where)})").Distinct());
    }

    [Fact]
    public void Get_FillsPlaceholders_AndAnUnknownLanguageIsChinese()
    {
        Assert.Equal("此页面供文明办使用；您登录的身份是交警审核员。", Texts.Get("zh-CN", "denied.text", ("forRole", "文明办"), ("mine", "交警审核员")));
        Assert.Equal("Sign in", Texts.Get("en", "signin.title"));
        Assert.Equal("登录", Texts.Get("fr", "signin.title"));
    }

    /// <summary>
    /// The engine's phrases (the cloned-plate check's reasons and descriptions, the plate's doubts): English worded from
    /// the texts is the engine's own English word for word, and Chinese has a text for each, its words included.
    /// </summary>
    [Fact]
    public void EnginePhrases_WordedInEnglishAreTheEnginesOwnWords_AndEveryOneHasChinese()
    {
        var day = new DateOnly(2026, 12, 1);
        RegisteredVehicle Row(VehicleKind? kind, BodyColour? colour, string make = "") => new("F1", "京A12345", PlateColour.Blue, VehicleRelation.Own, day, null) { Kind = kind, BodyColour = colour, Make = make };
        VehicleEvidence Seen(VehicleKind? kind, BodyColour? colour, double share = 0.7, double brightness = 0.7) => new("car", kind, colour, share, brightness, [], "vehicle.jpg");
        var results = new[]
        {
            VehicleCheck.Compare(null, Seen(VehicleKind.Car, BodyColour.White)),
            VehicleCheck.Compare(Row(null, null), Seen(VehicleKind.Car, BodyColour.White)),
            VehicleCheck.Compare(Row(VehicleKind.Car, BodyColour.White, "丰田"), null),
            VehicleCheck.Compare(Row(VehicleKind.Bus, BodyColour.Red), Seen(VehicleKind.Car, BodyColour.Blue)),
            VehicleCheck.Compare(Row(VehicleKind.Car, BodyColour.White, "丰田"), Seen(VehicleKind.Car, BodyColour.White)),
            VehicleCheck.Compare(Row(VehicleKind.Car, BodyColour.White), Seen(VehicleKind.Car, BodyColour.Grey)),
            VehicleCheck.Compare(Row(VehicleKind.Car, BodyColour.Black), Seen(null, BodyColour.Blue, brightness: 0.2)),
            VehicleCheck.Compare(Row(VehicleKind.Truck, BodyColour.Green), Seen(VehicleKind.Truck, BodyColour.Green, share: 0.1)),
            VehicleCheck.Compare(Row(null, BodyColour.Yellow, "宇通"), Seen(VehicleKind.Van, null)),
        };
        var phrases = results.SelectMany(r => r.Why.Append(r.RegisteredAs).Append(r.SeenAs)).ToList();

        // The plate's doubts, each of them.
        PlateReading Read(string text, bool valid, float confidence, int reads, int validReads, int agreeing) =>
            new(text, valid, "Blue", confidence, reads, validReads, agreeing, null, [.. text.Select(c => new PlateReadingCharacter(c.ToString(), confidence, reads))]);
        var settings = new CrosswalkWatch.Domain.Config.PlateSettings();
        phrases.AddRange(new[]
        {
            Read("京A1234", false, 0.9f, 3, 3, 3), Read("京A12345", true, 0.3f, 3, 3, 3), Read("京A12345", true, 0.9f, 3, 1, 1), Read("京A12345", true, 0.9f, 3, 3, 2),
        }.Select(r => PlateCertainty.DoubtOf(r, settings)!));

        Assert.True(phrases.Select(p => p.Key).Distinct().Count() >= 19, "the cases above take most paths of the checks");
        Assert.All(phrases, p => Assert.Equal(p.English, Texts.Get("en", p)));
        Assert.All(phrases, p => Assert.DoesNotContain("engine.", Texts.Get("zh-CN", p), StringComparison.Ordinal));
        Assert.Equal("车型：登记为客车，检测为轿车", Texts.Get("zh-CN", results[3].Why[0]));
        Assert.Equal("深蓝色车辆", Texts.Get("zh-CN", results[6].SeenAs));
        Assert.Equal("第1个字符“京”置信度 0.30，低于 0.60", Texts.Get("zh-CN", phrases[^3]));
    }

    /// <summary>Who signed a package, as the police case page says it: English word for word, and in Chinese.</summary>
    [Fact]
    public async Task SignerPhrases_OfASitesKeyAndOfTheLegacyKey_WordedAsTheVerifierSaysThem()
    {
        using var temp = new TempFolder();
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var own = await CrosswalkWatch.Evidence.EvidenceVerifier.VerifyAsync(EvidencePackages.Write(temp.Path, "own", new DateTimeOffset(2027, 2, 1, 9, 0, 0, TimeSpan.Zero)), EvidencePackages.Keys);
        var legacy = await CrosswalkWatch.Evidence.EvidenceVerifier.VerifyAsync(EvidencePackages.Write(temp.Path, "legacy", at, legacy: true), EvidencePackages.Keys);

        foreach (var check in new[] { own, legacy })
        {
            Assert.True(check.Intact, string.Join("; ", check.Problems));
            Assert.Equal(check.SignedBy, Texts.Get("en", check.Signer!));
            Assert.DoesNotContain("engine.", Texts.Get("zh-CN", check.Signer!), StringComparison.Ordinal);
        }

        Assert.StartsWith($"由站点 {EvidencePackages.Site} 自己的密钥", Texts.Get("zh-CN", own.Signer!), StringComparison.Ordinal);
    }

    /// <summary>
    /// What the evidence check finds wrong, as the police case page and the office say it: English word for word as the
    /// command line says it, and Chinese with no English sentence left — a changed file, a missing one, another site's
    /// key, a shared-key package after the site had its own, no manifest, another case's package, a deleted package.
    /// </summary>
    [Fact]
    public async Task EvidenceProblems_EachKind_WordedInEnglishAsTheVerifierSaysThem_AndInChinese()
    {
        using var temp = new TempFolder();
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var changed = EvidencePackages.Write(temp.Path, "changed", at);
        File.AppendAllText(Path.Combine(changed, "clip.mp4"), "!");
        File.Delete(Path.Combine(changed, "photo2-on-line.jpg"));
        var verify = CrosswalkWatch.Evidence.EvidenceVerifier.VerifyAsync;
        var checks = new[]
        {
            await verify(changed, EvidencePackages.Keys, default),
            await verify(EvidencePackages.Write(temp.Path, "other-key", at, signer: CrosswalkWatch.Evidence.EvidenceSigner.CreateEphemeral()), EvidencePackages.Keys, default),
            await verify(EvidencePackages.Write(temp.Path, "late-legacy", new DateTimeOffset(2027, 2, 1, 9, 0, 0, TimeSpan.Zero), legacy: true), EvidencePackages.Keys, default),
            await verify(Path.Combine(temp.Path, "nothing"), EvidencePackages.Keys, default),
            CrosswalkWatch.Evidence.EvidenceCheck.Deleted("2026-12-31"),
        };
        var folder = EvidencePackages.Write(temp.Path, "theirs", at);
        var record = new CrosswalkWatch.Domain.Cases.CaseRecord("mine", EvidencePackages.Site, "cam1", at, "1", "north", 1, CrosswalkWatch.Domain.Cases.CaseStatus.Candidate, folder, "{}", "", at);
        var problems = checks.Append(await CrosswalkWatch.Evidence.EvidenceVerifier.VerifyForAsync(record, EvidencePackages.Keys)).SelectMany(c => c.Faults).ToList();

        Assert.True(problems.Select(p => p.Key).Distinct().Count() >= 7, string.Join("\n", problems));
        Assert.All(problems, p => Assert.Equal(p.English, Texts.Get("en", p)));
        Assert.All(problems, p => Assert.Empty(EnglishIn(Texts.Get("zh-CN", p))));
        Assert.Contains("clip.mp4：sha256 为", Texts.Get("zh-CN", problems[0]), StringComparison.Ordinal);
        Assert.Contains("签名密钥", Texts.Get("zh-CN", checks[1].Faults[0]), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every phrase the engine makes (<c>Phrase.Of("key"</c> anywhere in src) has its text engine.KEY in both languages,
    /// so no reader sees a key.
    /// </summary>
    [Fact]
    public void EveryPhraseKeyOfTheEngine_HasItsText()
    {
        var source = Path.Combine(TestAssets.RepositoryRoot, "src");
        var named = Directory.GetFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => PhraseKey().Matches(File.ReadAllText(f)).Select(m => (Key: "engine." + m.Groups[1].Value, Where: Path.GetRelativePath(source, f))))
            .ToList();

        Assert.True(named.Count > 60, $"only {named.Count} phrases found: is the scan looking in the right places?");
        Assert.Empty(named.Where(n => !Texts.Of("zh-CN").ContainsKey(n.Key)).Select(n => $"{n.Key} (in {n.Where})").Distinct());
    }

    /// <summary>
    /// A decision refused, as the police and office pages say it: English word for word as the command line says it
    /// (the exception's message), and Chinese with no English sentence — the case's own refusals, a plate that is not
    /// one (each rule of the grammar), a missing case, a date that is not one.
    /// </summary>
    [Fact]
    public void ReviewRefusals_WordedInEnglishAsTheMessage_AndInChinese()
    {
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var candidate = new CrosswalkWatch.Domain.Cases.CaseRecord("c1", "site", "cam1", at, "1", "north", 7, CrosswalkWatch.Domain.Cases.CaseStatus.Candidate, "/evidence/c1", "{}", "sig", at)
        {
            PlateRead = "京A12345", Plate = "京A12345", MatchKind = CrosswalkWatch.Domain.Officials.MatchKind.Exact, OfficialId = "F1",
        };
        var day = new DateOnly(2026, 12, 1);
        var mismatch = VehicleCheck.Compare(
            new RegisteredVehicle("F1", "京A12345", PlateColour.Blue, VehicleRelation.Own, day, null) { Kind = VehicleKind.Bus, BodyColour = BodyColour.Red },
            new VehicleEvidence("car", VehicleKind.Car, BodyColour.Blue, 0.7, 0.7, [], "vehicle.jpg"));
        var refusals = new List<CrosswalkWatch.Domain.Cases.ReviewException>
        {
            Assert.Throws<CrosswalkWatch.Domain.Cases.ReviewException>(() => candidate.Reopen("office:z", at, "objection")),
            Assert.Throws<CrosswalkWatch.Domain.Cases.ReviewException>(() => (candidate with { Status = CrosswalkWatch.Domain.Cases.CaseStatus.Confirmed }).Reopen("office:z", at, " ")),
            Assert.Throws<CrosswalkWatch.Domain.Cases.ReviewException>(() => candidate.Reject("police1", at, "bored", null)),
            Assert.Throws<CrosswalkWatch.Domain.Cases.ReviewException>(() => candidate.Confirm("police1", at, 2).Confirm("police1", at, 2)),
            Assert.Throws<CrosswalkWatch.Domain.Cases.ReviewException>(() => candidate.Confirm("police1", at, 2, null, mismatch.Line)),
            Assert.Throws<CrosswalkWatch.Domain.Cases.ReviewException>(() => candidate.Correct("police1", at, null)),
            CrosswalkWatch.Domain.Cases.ReviewException.NoCase("c9"),
        };
        foreach (var plate in new[] { "", "京A123", "XA12345", "京I12345", "京A京2345", "京A1234京", "京A1234D5" })
        {
            Assert.False(PlateGrammar.TryParse(plate, out _, out var error), plate);
            refusals.Add(new CrosswalkWatch.Domain.Cases.ReviewException(Phrase.Of("review.notAPlate", "case {id}: '{plate}' is not a plate: {error}", ("id", "c1"), ("plate", plate), ("error", error))));
        }

        var desk = Assert.Throws<CrosswalkWatch.Domain.Cases.ReviewException>(() => CrosswalkWatch.Review.ReviewDesk.DayOf("3 May"));
        refusals.Add(desk);

        Assert.All(refusals, r => Assert.Equal(r.Message, Texts.Get("en", r.Reason!)));
        Assert.All(refusals, r => Assert.Empty(EnglishIn(Texts.Get("zh-CN", r.Reason!))));
        Assert.Equal("重新审核案件 c1：本案当前为待审核，并非已确认；只有已确认的案件才能重新审核", Texts.Get("zh-CN", refusals[0].Reason!));
        Assert.StartsWith("确认案件 c1：车辆与登记信息不符：登记为 红色客车，证据显示为 蓝色轿车；", Texts.Get("zh-CN", refusals[4].Reason!), StringComparison.Ordinal);
        Assert.Equal("“3 May”不是 yyyy-MM-dd 格式的日期", Texts.Get("zh-CN", desk.Reason!));
    }

    /// <summary>
    /// The matcher's doubts as a case's suggestions keep them (3:8→B) read back and worded for the case page: English
    /// and Chinese, an unread province too; what is not a doubt is none.
    /// </summary>
    [Fact]
    public void MatchDoubts_AsStored_ReadBackAndWordedInBothLanguages()
    {
        var doubts = new[] { new Doubt(2, '8', 'B'), new Doubt(0, '?', '京') };

        Assert.Equal(doubts, doubts.Select(d => Doubt.Parse(d.ToString())!.Value));
        Assert.Equal("position 3 read 8, registered B", Texts.Get("en", doubts[0].Text));
        Assert.Equal("第3位识别为8，登记为B", Texts.Get("zh-CN", doubts[0].Text));
        Assert.Equal("第1位未识别，登记为京", Texts.Get("zh-CN", doubts[1].Text));
        foreach (var text in (string[])["", "3:8", "0:8→B", "x:8→B", "plate in doubt: 3:8→B"])
        {
            Assert.Null(Doubt.Parse(text));
        }
    }

    /// <summary>
    /// A phrase kept as JSON (a withdrawn notice's reason, in the notices table) reads back as it was — its values, the
    /// phrases inside it, its English — and is worded in Chinese; what is not a kept phrase reads as none.
    /// </summary>
    [Fact]
    public void Phrase_KeptAsJson_ReadsBackAsItWas_AndIsWordedInChinese()
    {
        var decided = Phrase.Of("notice.caseDecided", "case {id} {done} by {actor}", ("id", "c1"), ("done", "@decision.rejected"), ("actor", "police1"));
        var withdrawn = Phrase.Of("notice.countFell", "the count fell to {count}: {why}", ("count", 2), ("why", decided));
        var listed = Phrase.Of("review.evidenceFails", "case {id}: the evidence package {folder} does not verify, confirmation refused: {problems}",
            ("id", "c1"), ("folder", "/data/c1"), ("problems", new[] { Phrase.Of("evidence.fileMissing", "{file}: missing", ("file", "clip.mp4")), Phrase.Of("evidence.replaced", "the package's signature is not the one the case was stored with: the package was replaced after the case arrived") }));

        foreach (var phrase in new[] { withdrawn, listed })
        {
            var read = Phrase.FromJson(phrase.ToJson())!;
            Assert.Equal((phrase.Key, phrase.English), (read.Key, read.English));
            Assert.Equal(Texts.Get("zh-CN", phrase), Texts.Get("zh-CN", read));
            Assert.Equal(phrase.English, Texts.Get("en", read));
            Assert.Empty(EnglishIn(Texts.Get("zh-CN", read)));
        }

        Assert.Equal("the count fell to 2: case c1 rejected by police1", withdrawn.English);
        Assert.Equal("违法次数降至 2 次：案件 c1 被 police1 驳回", Texts.Get("zh-CN", Phrase.FromJson(withdrawn.ToJson())!));
        Assert.Equal("案件 c1：证据包 /data/c1 校验未通过，不予确认：clip.mp4：文件缺失；证据包签名与案件入库时记录的不一致：证据包在案件入库后被替换", Texts.Get("zh-CN", listed));
        foreach (var json in (string?[])[null, "", "the count fell to 2", "{}", "[1]"])
        {
            Assert.Null(Phrase.FromJson(json));
        }
    }

    /// <summary>
    /// What the engine keeps in English only — a notice withdrawn before phrases were kept, as the engine wrote it then
    /// (the audit log still writes it so), a plate's doubt a case's match keeps — is recognised and worded in Chinese,
    /// its English as stored; a reviewer's typed reason inside it stays as typed, and free text is no phrase.
    /// </summary>
    [Fact]
    public void StoredEnglish_OfTheEnginesOwnSentences_IsWordedInChinese_AndFreeTextIsNot()
    {
        var withdrawn = new (string English, string Chinese)[]
        {
            ("the count fell to 2: case c1 rejected by police1", "违法次数降至 2 次：案件 c1 被 police1 驳回"),
            ("the count fell to 2: case c1 corrected by police2", "违法次数降至 2 次：案件 c1 被 police2 更正号牌"),
            ("the count fell to 2: case c1 reopened by office:z: not his car: sold in May", "违法次数降至 2 次：案件 c1 被 office:z 重新审核：not his car: sold in May"),
            ("the count fell to 1: the registry no longer lists the vehicle of a counted case for this official", "违法次数降至 1 次：登记库已不再将已计数案件的车辆登记在该公职人员名下"),
        };
        var settings = new CrosswalkWatch.Domain.Config.PlateSettings();
        PlateReading Read(string text, bool valid, float confidence, int validReads, int agreeing) =>
            new(text, valid, "Blue", confidence, 3, validReads, agreeing, null, [.. text.Select(c => new PlateReadingCharacter(c.ToString(), confidence, 3))]);
        var doubts = new[] { Read("京A1234", false, 0.9f, 3, 3), Read("京A12345", true, 0.3f, 3, 3), Read("京A12345", true, 0.9f, 1, 1), Read("京A12345", true, 0.9f, 3, 2) }
            .Select(r => PlateCertainty.DoubtOf(r, settings)!).ToList();

        foreach (var (english, chinese) in withdrawn)
        {
            var phrase = Texts.Recognise(english, StoredEnglish.WithdrawnNotice);
            Assert.True(phrase is not null, english);
            Assert.Equal((english, chinese), (Texts.Get("en", phrase), Texts.Get("zh-CN", phrase)));
        }

        Assert.All(doubts, d => Assert.Equal(Texts.Get("zh-CN", d), Texts.Get("zh-CN", Texts.Recognise(d.English, StoredEnglish.PlateDoubt)!)));
        Assert.Equal(4, doubts.Select(d => d.Key).Distinct().Count());
        foreach (var free in (string?[])[null, "", "the official says it was not his car", "the count fell to 2: @decision.rejected"])
        {
            Assert.Null(Texts.Recognise(free, StoredEnglish.WithdrawnNotice));
        }
    }

    /// <summary>A push's dead letter as the pusher keeps it (English), worded in Chinese with the platform's and the system's own words kept.</summary>
    [Theory]
    [InlineData("the platform refused it: HTTP 400 Bad Request: plate missing", "平台拒收：HTTP 400 Bad Request: plate missing")]
    [InlineData("no attempt of 8 succeeded; the last: 127.0.0.1:8080 did not answer within 10 s", "8 次尝试均未成功；最后一次：127.0.0.1:8080 在 10 秒内未应答")]
    [InlineData("no attempt of 2 succeeded; the last: HTTP 503 Service Unavailable", "2 次尝试均未成功；最后一次：HTTP 503 Service Unavailable")]
    [InlineData("no attempt of 3 succeeded; the last: cannot send to 127.0.0.1:9: Connection refused (127.0.0.1:9)", "3 次尝试均未成功；最后一次：无法发送到 127.0.0.1:9：Connection refused (127.0.0.1:9)")]
    [InlineData("its evidence is gone (/var/lib/crosswalkwatch/evidence/c1)", "证据已不存在（/var/lib/crosswalkwatch/evidence/c1）")]
    public void StoredEnglish_PushDeadLetters_WordedInChinese(string english, string chinese)
    {
        var phrase = Texts.Recognise(english, StoredEnglish.PushError);

        Assert.True(phrase is not null, english);
        Assert.Equal((english, chinese), (Texts.Get("en", phrase), Texts.Get("zh-CN", phrase)));
    }

    /// <summary>
    /// A scene file's errors as the operator's scene page says them: English word for word as the loader says them,
    /// Chinese with no English sentence — a crossing crosswalk outline, a centre line beside it, a stop line along the
    /// travel, a duplicate lane, a lane beside the crosswalk, a point outside the picture, a line of one point.
    /// </summary>
    [Fact]
    public void SceneErrors_EachKind_WordedInEnglishAsTheLoaderSaysThem_AndInChinese()
    {
        var refused = Assert.Throws<CrosswalkWatch.Config.ConfigException>(() => CrosswalkWatch.Config.SceneLoader.Parse("""
            crosswalk: [[0.0, 0.55], [0.6, 0.65], [0.6, 0.55], [0.0, 0.65]]
            centerLine: [[0.9, 0.0], [0.9, 0.1]]
            approaches:
              - name: southbound
                direction: [[0.1, 0.2], [0.1, 0.9]]
                stopLine: [[0.1, 0.3], [0.1, 0.5]]
                lanes:
                  - { id: S1, polygon: [[0.0, 0.0], [0.3, 0.0], [0.3, 1.0], [0.0, 1.0]] }
                  - { id: S1, polygon: [[0.0, 0.0], [1.3, 0.0], [0.3, 0.1]] }
              - name: northbound
                direction: [[0.5, 0.9], [0.5, 0.9]]
                stopLine: [[0.4, 0.7], [0.6, 0.7]]
                lanes: []
            """, "broken.yaml"));
        var errors = refused.Errors.Where(e => e.Text is not null).ToList();

        Assert.True(errors.Select(e => e.Text!.Key).Distinct().Count() >= 5, string.Join("\n", refused.Errors));
        Assert.All(errors, e => Assert.Equal(e.Message, Texts.Get("en", e.Text!)));
        Assert.All(errors, e => Assert.Empty(EnglishIn(Texts.Get("zh-CN", e.Text!))));
        Assert.Contains(errors, e => Texts.Get("zh-CN", e.Text!) == "车道编号“S1”重复：场景内车道编号须唯一");
    }

    /// <summary>English left in a Chinese text: three or more English words in a row (a file name, a key id, "ECDSA P-256", a `command` or a code such as not-a-violation is none).</summary>
    /// <summary>
    /// A threshold or setting the operator typed wrong, as the thresholds page says it: English word for word as the
    /// loader says it, Chinese with no English sentence — out of range, not a number, not a whole number, not a choice,
    /// a misspelt key.
    /// </summary>
    [Fact]
    public void ValueErrors_EachKind_WordedInEnglishAsTheLoaderSaysThem_AndInChinese()
    {
        var refused = Assert.Throws<CrosswalkWatch.Config.ConfigException>(() => CrosswalkWatch.Config.SceneLoader.Parse(
            ScriptedScene.Yaml + "\nrule:\n  bodyPastLine: 3\n  minPedestrians: two\n  stoppedSeconds: fast\n  conflictZone: nearhalf2\n  countStandingPedestrians: maybe\n  stopedSeconds: 2\n",
            "scene.yaml"));
        var errors = refused.Errors.Where(e => e.Text is not null).ToList();

        Assert.True(errors.Count == 6, string.Join("\n", refused.Errors));
        Assert.All(errors, e => Assert.Equal(e.Message, Texts.Get("en", e.Text!)));
        Assert.All(errors, e => Assert.Empty(EnglishIn(Texts.Get("zh-CN", e.Text!))));
        Assert.Equal("3 超出范围：应为0.05 至 1 之间的数（默认 0.3）", Texts.Get("zh-CN", errors[0].Text!));
        Assert.Equal("“two”不是整数：应为1 至 10 之间的整数（默认 1）", Texts.Get("zh-CN", errors[1].Text!));
        Assert.StartsWith("未知的键“stopedSeconds”；是否要写“stoppedSeconds”？（可用：", Texts.Get("zh-CN", errors[5].Text!), StringComparison.Ordinal);
    }

    /// <summary>A hand-edited scene file's structural errors: a list where a number belongs, a key with no value, a syntax error (the parser's own words stay).</summary>
    [Fact]
    public void StructuralErrors_WordedInEnglishAsTheLoaderSaysThem_AndInChinese()
    {
        var shape = Assert.Throws<CrosswalkWatch.Config.ConfigException>(() => CrosswalkWatch.Config.SceneLoader.Parse(
            ScriptedScene.Yaml + "\nrule:\n  minPedestrians: [1, 2]\n  stoppedSeconds:\n", "scene.yaml"));
        var syntax = Assert.Throws<CrosswalkWatch.Config.ConfigException>(() => CrosswalkWatch.Config.SceneLoader.Parse("crosswalk: [[0.1, 0.2]\n", "scene.yaml"));
        var errors = shape.Errors.Concat(syntax.Errors).ToList();

        Assert.True(errors.Count == 3 && errors.All(e => e.Text is not null), string.Join("\n", errors));
        Assert.All(errors, e => Assert.Equal(e.Message, Texts.Get("en", e.Text!)));
        Assert.Equal("应为1 至 10 之间的整数（默认 1），实为列表", Texts.Get("zh-CN", errors[0].Text!));
        Assert.Equal("没有值：应为0 至 30 之间的数（默认 1）", Texts.Get("zh-CN", errors[1].Text!));
        Assert.StartsWith("YAML 语法错误：", Texts.Get("zh-CN", errors[2].Text!), StringComparison.Ordinal);
    }

    /// <summary>
    /// A hand-edited scene file's missing required keys (with what each is for) and a key that is not a name, and a
    /// list where a mapping belongs: English word for word as the loader says them, Chinese with no English sentence.
    /// </summary>
    [Fact]
    public void MissingKeysAndKeysThatAreNoNames_WordedInEnglishAsTheLoaderSaysThem_AndInChinese()
    {
        var refused = Assert.Throws<CrosswalkWatch.Config.ConfigException>(() => CrosswalkWatch.Config.SceneLoader.Parse("""
            crosswalk: [[0.1, 0.5], [0.9, 0.5], [0.9, 0.7], [0.1, 0.7]]
            approaches:
              - name: southbound
                direction: [[0.5, 0.1], [0.5, 0.9]]
                lanes:
                  - id: S1
              - [0.1, 0.2]
            ? [a, b]
            : 1
            """, "scene.yaml"));
        var errors = refused.Errors;

        Assert.True(errors.Count == 4 && errors.All(e => e.Text is not null), string.Join("\n", errors));
        Assert.All(errors, e => Assert.Equal(e.Message, Texts.Get("en", e.Text!)));
        Assert.All(errors, e => Assert.Empty(EnglishIn(Texts.Get("zh-CN", e.Text!))));
        Assert.Equal(
            ["approaches[0].stopLine", "approaches[0].lanes[0].polygon", "approaches[1]", ""],
            errors.Select(e => e.Key));
        Assert.Equal("missing required key 'stopLine': expected a list ('- ' items) (Stop line before the crosswalk: two points [x, y])", errors[0].Message);
        Assert.Equal("缺少必需的键“stopLine”：应为列表（每项以“- ”开头）（人行横道前的停止线：两个点 [x, y]）", Texts.Get("zh-CN", errors[0].Text!));
        Assert.Equal("应为含以下键的映射（name, direction, stopLine, lanes），实为列表", Texts.Get("zh-CN", errors[2].Text!));
        Assert.Equal("应为键名，实为列表", Texts.Get("zh-CN", errors[3].Text!));
    }

    /// <summary>
    /// What the YAML parser meets in a hand-edited file, each kind as a phrase of its own: English word for word as the
    /// loader said it (the parser's words), Chinese with no English sentence, at the parser's line and column; a message
    /// the loader does not know stays the parser's English inside the translated sentence.
    /// </summary>
    [Theory]
    [InlineData("crosswalk: [[0.1, 0.2]\n", "config.yaml.flowList", 2, 1)]
    [InlineData("rule: {bodyPastLine: 0.3\n", "config.yaml.flowMapping", 2, 1)]
    [InlineData("rule:\n  bodyPastLine: 0.3\n minPedestrians: 2\n", "config.yaml.noKey", 3, 2)]
    [InlineData("approaches:\n  - name: a\n  lanes: []\n", "config.yaml.noDash", 3, 3)]
    [InlineData("rule: - 0.3\n", "config.yaml.listNotAllowed", 1, 7)]
    [InlineData("approaches:\n  - name: \"south\nbound\"\n", "config.yaml.quotedIndent", 2, 11)]
    [InlineData("rule:\n  bodyPastLine: @0.3\n", "config.yaml.badStart", 2, 17)]
    [InlineData("rule: bodyPastLine: 0.3\n", "config.yaml.mappingInValue", 1, 19)]
    [InlineData("rule\n  bodyPastLine: 0.3\n", "config.yaml.mappingInLines", 2, 15)]
    [InlineData("rule:\n  \"body\n PastLine\": 0.3\n", "config.yaml.mappingNotAllowed", 3, 11)]
    [InlineData("approaches:\n  - name: \"south\n", "config.yaml.unclosedQuote", 2, 11)]
    [InlineData("approaches:\n  - name: \"C:\\south\"\n", "config.yaml.badEscape", 2, 11)]
    [InlineData("rule:\n\tbodyPastLine: 0.3\n", "config.yaml.tabIndent", 2, 1)]
    [InlineData("rule:\n  bodyPastLine: 0.3\n  bodyPastLine: 0.4\n", "config.yaml.duplicateKey", 3, 3)]
    [InlineData("  rule: {}\ncrosswalk: []\n", "config.yaml.noDocumentEnd", 2, 1)]
    [InlineData("rule: {}\n---\ncrosswalk: []\n", "config.yamlDocuments", 3, 1)]
    [InlineData("crosswalk: *points\n", null, 1, 1)]
    public void YamlSyntaxErrors_EachKind_WordedInEnglishAsTheParserSaysThem_AndInChinese(string yaml, string? kind, int line, int column)
    {
        var refused = Assert.Throws<CrosswalkWatch.Config.ConfigException>(() => CrosswalkWatch.Config.SceneLoader.Parse(yaml, "scene.yaml"));
        var error = Assert.Single(refused.Errors);
        var said = error.Text!;
        var what = said.Key == "config.yamlSyntax" ? said.Inner.SingleOrDefault().Phrases?.Single() : said;

        Assert.Equal((kind, line, column), (what?.Key, error.Line, error.Column));
        Assert.Equal(error.Message, Texts.Get("en", said));
        if (kind is null)
        {
            Assert.Equal("YAML 语法错误：The anchor 'points' does not exists", Texts.Get("zh-CN", said));
        }
        else
        {
            Assert.Empty(EnglishIn(Texts.Get("zh-CN", said)));
        }
    }

    /// <summary>Every required key of the configuration and the scene files says what it is for in both languages, the English its [Description].</summary>
    [Fact]
    public void EveryRequiredKey_HasItsDescriptionInBothLanguages()
    {
        var required = new List<(string Key, string About)>();
        var seen = new HashSet<Type>();
        void Walk(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (CrosswalkWatch.Config.Shape.ElementType(type) is { } item)
            {
                Walk(item);
            }
            else if (CrosswalkWatch.Config.Shape.Of(type) == CrosswalkWatch.Config.ShapeKind.Record && seen.Add(type))
            {
                foreach (var p in CrosswalkWatch.Config.Shape.Properties(type))
                {
                    if (p.Property.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), false).Length > 0
                        && p.Property.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), false) is [System.ComponentModel.DescriptionAttribute about])
                    {
                        required.Add(("engine." + CrosswalkWatch.Config.YamlBinder.AboutKey(p.Property, p.Key), $" ({about.Description.TrimEnd('.')})"));
                    }

                    Walk(p.Property.PropertyType);
                }
            }
        }

        Walk(typeof(Domain.Config.CwwConfig));
        Walk(typeof(Domain.Scene.SceneDefinition));

        Assert.True(required.Count >= 16, $"only {required.Count} required keys found: is the walk reaching the cameras and the scene's lanes?");
        Assert.Empty(required.Where(r => Texts.Of("en").GetValueOrDefault(r.Key) != r.About).Select(r => $"en {r.Key} is not{r.About}"));
        Assert.Empty(required.Where(r => !Texts.Of("zh-CN").ContainsKey(r.Key)).Select(r => $"missing in zh-CN: {r.Key}"));
    }

    /// <summary>What the view check says of a camera, as the operator's pages say it: English word for word, Chinese with no English sentence.</summary>
    [Fact]
    public void ViewCheckFindings_EachKind_WordedInEnglishAsTheBoxSaysThem_AndInChinese()
    {
        var shift = new Domain.Health.ViewShift(0.05, -0.012, -1.2);
        var readings = new[]
        {
            new CrosswalkWatch.Detector.CameraView.ViewReading(shift, 0.97, 0, 1, 0, 0),
            new CrosswalkWatch.Detector.CameraView.ViewReading(Domain.Health.ViewShift.None, 0.2, 0, 1, 0, 0),
            new CrosswalkWatch.Detector.CameraView.ViewReading(Domain.Health.ViewShift.None, 0.9, 0.52, 0.5, 0, 0),
            new CrosswalkWatch.Detector.CameraView.ViewReading(Domain.Health.ViewShift.None, 0.95, 0, 0.03, 0, 0),
            new CrosswalkWatch.Detector.CameraView.ViewReading(Domain.Health.ViewShift.None, 0.95, 0, 1, 1, 0),
            new CrosswalkWatch.Detector.CameraView.ViewReading(Domain.Health.ViewShift.None, 0.95, 0, 1, 0, 0.8),
            new CrosswalkWatch.Detector.CameraView.ViewReading(Domain.Health.ViewShift.None, 0.98, 0, 1, 0, 0),
        };
        var found = readings.Select(r => CrosswalkWatch.Detector.CameraView.ViewJudge.Judge(r, new CrosswalkWatch.Detector.CameraView.ViewLimits())).ToList();

        Assert.Equal(7, found.Select(f => f.Why.Key).Distinct().Count());
        Assert.All(found, f => Assert.Equal(f.Why.English, Texts.Get("en", f.Why)));
        Assert.All(found, f => Assert.Empty(EnglishIn(Texts.Get("zh-CN", f.Why))));
        Assert.Equal("shifted 5.0 % right and 1.2 % up, turned 1.2° anticlockwise", found[0].Why.English);
        Assert.Equal("向右偏移 5.0 %，向上偏移 1.2 %，逆时针旋转 1.2°", Texts.Get("zh-CN", found[0].Why));
        Assert.Equal("画面中 52 % 的细节被遮挡", Texts.Get("zh-CN", Phrase.FromJson(found[2].Why.ToJson())!)); // as the health carries it
    }

    /// <summary>
    /// The detector's pace and the pedestrian signal as a camera's health carries them, for the camera page: English
    /// word for word as the box says it, Chinese with no English sentence — paused for each view fault that stops the
    /// camera's candidates, idle or at the full rate, each signal state from the picture or the controller.
    /// </summary>
    [Fact]
    public void DetectorPaceAndSignal_EachKind_WordedInEnglishAsTheBoxSaysThem_AndInChinese()
    {
        var paused = Enum.GetValues<Domain.Health.ViewState>().Where(v => !Domain.Health.ViewStates.Judges(v)).Select(Domain.Health.DetectorPace.Paused).ToList();
        var gated = new[] { Domain.Health.DetectorPace.Gated(true, 40), Domain.Health.DetectorPace.Gated(false, 12) };
        var signals = (from state in Enum.GetValues<Domain.Signals.SignalState>()
                       from source in Enum.GetValues<Domain.Signals.SignalSource>()
                       select Domain.Signals.SignalStates.Said(Domain.Signals.SignalReading.Of(state, source))).ToList();
        var said = paused.Concat(gated).Concat(signals).Select(p => Phrase.FromJson(p.ToJson())!).ToList(); // as the health carries them

        Assert.Equal(["paused: camera moved", "paused: camera blocked", "idle, 40 frames gated", "full rate, 12 frames gated"], paused.Concat(gated).Select(p => p.English));
        Assert.Equal("green, from the signal controller", signals[5].English);
        Assert.All(said, p => Assert.Equal(p.English, Texts.Get("en", p)));
        Assert.All(said, p => Assert.Empty(EnglishIn(Texts.Get("zh-CN", p))));
        Assert.Equal(["暂停：摄像机移位", "暂停：镜头遮挡", "空闲（保活帧率），已门控 40 帧", "全帧率，已门控 12 帧"], said.Take(4).Select(p => Texts.Get("zh-CN", p)));
        Assert.Equal(["红灯（从画面识别）", "绿灯（来自信号机）"], new[] { said[6], said[9] }.Select(p => Texts.Get("zh-CN", p)));
    }

    private static IEnumerable<string> EnglishIn(string text) => EnglishWords().Matches(Code().Replace(Command().Replace(text, ""), "")).Select(m => $"{m.Value} (in {text})");

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\b[A-Za-z][a-z]+(?:[ ,']+[a-z]{2,}){2,}\b")]
    private static partial Regex EnglishWords();

    [GeneratedRegex(@"Phrase\.Of\(\s*""([A-Za-z0-9_.-]+)""")]
    private static partial Regex PhraseKey();

    [GeneratedRegex(@"[a-z]+(?:-[a-z]+)+")]
    private static partial Regex Code();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex Command();

    [GeneratedRegex(@"\{\{t:([A-Za-z0-9_.-]+)\}\}")]
    private static partial Regex PageKey();

    /// <summary>In C#: a string literal that is a key (.T("key", …), .Error(status, "key", …), a page's title given to MapPage or Render); a prefix ending in a dot is completed by code, a file name (signin.html, signin.js) is none.</summary>
    [GeneratedRegex(@"""((?:common|signin|denied|police|office|operator|admin|engine)\.[A-Za-z0-9_.-]*[A-Za-z0-9_-])(?<!\.html|\.js|\.css)""")]
    private static partial Regex CodeKey();

    [GeneratedRegex(@"^\s*///.*$", RegexOptions.Multiline)]
    private static partial Regex DocComment();

    [GeneratedRegex(@"cww\.t\(\s*[""'`]([A-Za-z0-9_.-]+)[""'`]")]
    private static partial Regex ScriptKey();
}
