"""Editorial checks: the termbase (one term per concept) and fresh wording
(no sentence follows a source sentence). Each check runs on the real pages
and data, and is shown to fail on a planted variant / paraphrase."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guide.editorial import freshness, terms
from guide.editorial.freshness import Sentence

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get(freshness.SEEDS_ENV) or ROOT.parent / "shared" / "seeds")


def run_tool(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


# --- termbase -------------------------------------------------------------------

@pytest.fixture(scope="module")
def compiled():
    return terms.matchers(terms.load_termbase(ROOT / "data"))


def hits(text: str, compiled) -> list[str]:
    return [f"{h.found}→{h.concept}" for h in terms.check_text(text, "x.md", compiled)]


@pytest.mark.slow
def test_pages_and_data_use_the_termbase():
    found = terms.check(ROOT)
    assert not found, "termbase variants:\n" + "\n".join(map(str, found))


@pytest.mark.parametrize("text, expected", [
    ("وقال عمدة المدينة إن", ["عمدة→mayor"]),
    ("وشارك العُمد في اللقاء", ["العُمد→mayor"]),
    ("تحدّث لعمدتها أمس", ["لعمدتها→mayor"]),
    ("في لقاء العُمد عبر الأطلسي", ["لقاء العُمد→roundtable", "العُمد→mayor"]),
    ("الأشخاص المعرّضون لخطر الاستقطاب", ["الاستقطاب→recruitment"]),
    ("يحمي الشباب من الاستقطاب نحو العنف", ["الاستقطاب→recruitment"]),
    ("وتسعى الجماعات إلى استقطاب الشباب", ["استقطاب→recruitment"]),
    ("والوقاية من الانجرار إلى العنف", ["الانجرار→recruitment"]),
    ("وتحديد مواطن الهشاشة في الأحياء", ["مواطن الهشاشة→vulnerabilities"]),
    ("خطة لمواجهة التطرف والتشدد", ["والتشدد→radicalisation"]),
    ("ضمن ولايتها في السلامة", ["ولايتها→mandate"]),
    ("ويعاني المجال من الأمننة", ["الأمننة→over-securitisation"]),
    ("ويشجّع الاختلاط بين السكان", ["الاختلاط→social-mixing"]),
    ("أنشأت المدن شبكات موضوعية", ["شبكات موضوعية→thematic-network"]),
    ("قال أيضاً إن", ["اً→tanwin"]),
    ("في ١٩ كانون الثاني ٢٠٢٣", ["كانون الثاني→months"]),
    ("في أيلول ٢٠٢٣", ["أيلول→months"]),
    ("في آب الماضي", ["آب→months"]),
    ("the risk of radicalization", ["radicalization→radicalisation"]),
    ("at the round table in Washington", ["round table→roundtable"]),
    # the names and terms agreed in issue 21
    ("وشارك أصحاب المصلحة في الاجتماع", ["أصحاب المصلحة→stakeholders"]),
    ("مع أصحاب الشأن في المجتمع", ["أصحاب الشأن→stakeholders"]),
    ("وتناول الأطراف المعنية داخل الإدارة", ["الأطراف المعنية→stakeholders"]),
    ("أطلق صندوق «المسعى المشترك» عام ٢٠١٩", ["صندوق «المسعى→shared-endeavour-fund"]),
    ("ومن خلاله أُطلق صندوق المساعي المشتركة", ["المساعي المشتركة→shared-endeavour-fund"]),
    ("برنامج «مدن أكثر أمانًا» لموئل الأمم المتحدة", ["مدن أكثر أمانًا→safer-cities"]),
    ("وبرنامج أممي للمدن الآمنة", ["للمدن الآمنة→safer-cities"]),
    ("أصله في العمل الإنساني والتنموي", ["الإنساني والتنموي→humanitarian-development"]),
    ("من المجالات الإنسانية والتنموية", ["الإنسانية والتنموية→humanitarian-development"]),
    # the terms added from the review of issue 21
    ("في إطار استراتيجية وطنية للتصدي للإرهاب", ["للتصدي للإرهاب→counter-terrorism"]),
    ("المقاربات التي تدور على محاربة الإرهاب", ["محاربة الإرهاب→counter-terrorism"]),
    ("a national counterterrorism strategy", ["counterterrorism→counter-terrorism"]),
    ("ويعمل المكتب بميزانية مستقلة", ["بميزانية→budget"]),
    ("تموّله من ميزانيتها", ["ميزانيتها→budget"]),
    ("فالميزانيات محدودة دائمًا", ["فالميزانيات→budget"]),
    ("بالتعاون مع دوائر البلدية ومرافقها", ["دوائر→department"]),
    ("وقال مدير دائرة التخطيط", ["دائرة→department"]),
    ("وقال مدير الدائرة إن", ["الدائرة→department"]),
    ("داخل الإدارة البلدية وفي القطاعات الأخرى", ["الإدارة البلدية→city-administration"]),
    ("بما يزيد صدقية المدينة", ["صدقية→credibility"]),
    ("الصدقية التي كسبتها المدينة", ["الصدقية→credibility"]),
    ("نشأ النموذج في بريطانيا", ["بريطانيا→united-kingdom"]),
    ("والأقليات الجنسية والجندرية", ["والجندرية→gender"]),
    ("سواء أكانوا في السجن أم خارجه", ["السجن→custody"]),
    ("وأمان الطرق وكاميرات الشوارع", ["وأمان الطرق→road-safety"]),
    ("It began in Britain as a public health approach", ["Britain→united-kingdom"]),
    ("UN-Habitat's Safer Cities Program", ["Safer Cities Program→safer-cities", "Program→british-spelling-words"]),
    ("Initializing search", ["Initializing→british-spelling"]),
    ("to organize the city's response", ["organize→british-spelling"]),
    ("a traveling exhibition", ["traveling→british-spelling"]),
    ("the community center", ["center→british-spelling-words"]),
    # the terms added from review 4
    ("تدابير لمن تبيّن أنهم عرضة للتجنيد", ["تبيّن أنهم عرضة→vulnerable-to-recruitment"]),
    ("والوقاية الثانوية تخاطب من يُقدَّر أنهم معرّضون للخطر", ["يُقدَّر أنهم معرّضون→vulnerable-to-recruitment"]),
    ("حين يقع عنف تحرّكه الكراهية أو التطرف", ["تحرّكه الكراهية→hate-motivated-violence"]),
    ("من ارتكبوا عنفًا دافعه الكراهية", ["دافعه الكراهية→hate-motivated-violence"]),
    ("أوجبت الحكومة المركزية ثلاث لجان", ["الحكومة المركزية→national-government"]),
])
def test_a_planted_variant_is_caught(text, expected, compiled):
    assert sorted(hits(text, compiled)) == sorted(expected)


@pytest.mark.parametrize("text", [
    "الوقاية من الكراهية والتطرف والاستقطاب",            # polarisation: right
    "يزيد الاستقطاب في المجتمع ويضعف الثقة",              # polarisation: right
    "مكافحة الاستقطاب وتحصين الديمقراطية",
    "رئيس البلدية ورؤساء البلديات في المائدة المستديرة",
    "ولاية نيوجيرسي في الولايات المتحدة",                 # a US state, not a mandate
    "تعمّد ذلك عن عمد",                                  # deliberately
    "أبوه وأب لثلاثة",                                   # father, not August
    "في ١٩ يناير ٢٠٢٣ وفي سبتمبر",
    "قال أيضًا إن التمازج الاجتماعي",
    "the transatlantic mayors' roundtable on radicalisation",
    "الجهات المعنية وصندوق المسعى المشترك وبرنامج المدن الأكثر أمانًا",
    "برنامج الأمم المتحدة الإنمائي (UNDP) في العراق",        # UNDP's name keeps الإنمائي
    "العمل الإنساني والإنمائي في المملكة المتحدة",
    "استراتيجية وطنية لمكافحة الإرهاب، ومنع الإرهاب ومكافحته",
    "من موازنة السلامة العامة، فالموازنات محدودة",
    "الميزانية العمومية للشركة",                           # a balance sheet, not a budget
    "كسر دائرة العنف في الحي",                              # a cycle of violence
    "وقال مدير المكتب إن دائرة العنف تتسع",                  # a cycle, with a director nearby
    "في الدائرة الانتخابية الثالثة",
    "إدارات البلدية وإدارة المدينة والمصداقية والثقة",
    "the city's counter-terrorism strategy",
    "سواء أكانوا رهن الاحتجاز أم خارجه، وبعضهم في السجن",
    "سلامة الطرق ومراعاة النوع الاجتماعي",
    "the World Health Organization and the Organization for Security and Co-operation in Europe",
    "the size of the prize; a travelling programme to organise in the centre",
    "https://example.org/world-health-organization/",
    "تدابير لمن حُدِّدوا على أنهم عرضة للتجنيد في العنف بدافع الكراهية أو التطرف",
    "مرتكبو جرائم العنف التي دافعها الكراهية، والحكومة الوطنية والحكومات المحلية",
])
def test_correct_wording_passes(text, compiled):
    assert hits(text, compiled) == []


@pytest.mark.slow
def test_terms_command_names_file_line_and_preferred_term(tmp_path):
    (tmp_path / "docs" / "ar").mkdir(parents=True)
    (tmp_path / "docs" / "en").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "docs" / "ar" / "page.md").write_text("# عنوان\n\nسطر سليم.\nوقال عمدة المدينة.\n", encoding="utf-8")
    (tmp_path / "docs" / "en" / "page.md").write_text("# Title\n\nFine.\n", encoding="utf-8")
    (tmp_path / "data" / "ui.yml").write_text("# عمدة in a comment is ignored\nx: {ar: مواطن الهشاشة, en: y}\n", encoding="utf-8")
    result = run_tool("terms", "--root", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "docs/ar/page.md:4: term 'عمدة' → use 'رئيس البلدية' (concept: mayor)",
        "data/ui.yml:2: term 'مواطن الهشاشة' → use 'مواطن الضعف' (concept: vulnerabilities)",
    ]
    (tmp_path / "docs" / "ar" / "page.md").write_text("وقال رئيس البلدية.\n", encoding="utf-8")
    (tmp_path / "data" / "ui.yml").write_text("x: {ar: مواطن الضعف, en: y}\n", encoding="utf-8")
    result = run_tool("terms", "--root", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_a_bad_termbase_is_one_line(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "termbase.yml").write_text(
        "concepts:\n  - id: x\n    en: x\n    ar: س\n    source: house-style\n    avoid_ar:\n      - {text: ص, pattern: ص}\n",
        encoding="utf-8")
    result = run_tool("terms", "--root", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"{tmp_path / 'data' / 'termbase.yml'}:7: concept 'x': field 'avoid_ar[0]'")
    assert "exactly one of 'text' or 'pattern'" in result.stderr and "Traceback" not in result.stderr


# --- freshness ------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        if os.environ.get(freshness.SEEDS_ENV):
            pytest.fail(f"{freshness.SEEDS_ENV}={SEEDS} is not a directory")
        # The seeds are not in the repository (a GitHub runner): .ci/run sets GUIDE_SEEDS_DIR.
        pytest.skip(f"source seeds not found at {SEEDS} (set {freshness.SEEDS_ENV})")
    return freshness.load_seeds(SEEDS, freshness.fact_words(ROOT / "data"))


def follows(text: str, seeds) -> bool:
    result = freshness.compare(Sentence(text, 1), seeds)
    return result is not None and freshness.is_follower(result[0], result[1])


@pytest.mark.slow
def test_no_sentence_follows_the_seeds(seeds):
    found = freshness.check(ROOT, seeds)
    assert not found, "close followers of the seeds:\n" + "\n".join(map(str, found))


# A seed sentence (Chapter 3, on the strength of a mandate), then the same
# sentence with synonyms swapped and clauses moved: the kind of close follower
# the eight-word test let through.
SEED_SENTENCE = ("قد يبدو الأمر واضحًا، لكن قوة مثل هذا التفويض ومداه وغموضه المحتمل سيكون لها آثار "
                 "حقيقية على ما يمكن أن تفعله المدينة فعليًا.")
PARAPHRASES = [
    "وقد يبدو ذلك بديهيًا، غير أن قوة التفويض ونطاقه وما قد يكتنفه من غموض ستترك آثارًا فعلية فيما تستطيع المدينة القيام به حقًا.",
    "إن قوة هذا التفويض ومداه وغموضه المحتمل لها آثار حقيقية على ما تقدر المدينة على فعله، وإن بدا الأمر واضحًا.",
    "لكن قوة مثل هذا التفويض ومداه والغموض المحتمل فيه تؤثر تأثيرًا حقيقيًا في ما يمكن للمدينة أن تفعله.",
]


def test_the_seed_sentence_itself_is_caught(seeds):
    assert follows(SEED_SENTENCE, seeds)


@pytest.mark.parametrize("text", PARAPHRASES)
def test_a_planted_paraphrase_is_caught(text, seeds):
    assert follows(text, seeds)


# Fresh sentences that carry the seeds' facts (names, figures, terms) in the
# writer's own words and order must pass.
FRESH = [
    "لم تنتظر نيوارك تفويضًا جديدًا: فالمكتب الذي افتتحه رئيس البلدية عام ٢٠١٩ قام على دور المدينة القائم في السلامة العامة والصحة العامة.",
    "ويموَّل المكتب منذ عام ٢٠٢٠ بنسبة ٥٪ من ميزانية السلامة العامة، بقرار مشترك من رئيس البلدية والمجلس.",
    "جمع صندوق Shared Endeavour في لندن بين مال مجلس المدينة ومنحة مماثلة من Google.org، فبلغ ٨٠٠ ألف جنيه ودعم أكثر من ثلاثين منظمة قاعدية.",
    "حين سُئلت مدن أوغندية في ورشة للشبكة في أبريل ٢٠٢٣ عن الاستراتيجية الوطنية، تبيّن أنها لم تسمع بها، لأنها لم تُنشر ولم تُستشر فيها.",
    "التفويض أول ما تحتاج إليه المدينة، وعليه يتوقف مدى ما تستطيع فعله في الوقاية من الكراهية والتطرف والاستقطاب.",
    "تختار بعض المدن جهة واحدة تقود العمل، وتوزّعه أخرى على عدة إدارات، وتلجأ ثالثة إلى شبكة تضم المجتمع المدني.",
]


@pytest.mark.parametrize("text", FRESH)
def test_fresh_text_with_the_same_facts_passes(text, seeds):
    result = freshness.compare(Sentence(text, 1), seeds)
    assert result is None or not freshness.is_follower(result[0], result[1]), result


@pytest.mark.slow
def test_tuned_on_the_old_strategy_chapter(seeds, tmp_path):
    """The Arabic Strategy chapter as it stood before issue 12 followed the
    seed sentence by sentence: the check must flag dozens of its sentences."""
    old = subprocess.run(["git", "show", "9a22ec8:docs/ar/strategy.md"], cwd=ROOT, capture_output=True, text=True)
    if old.returncode != 0:
        pytest.skip("the old chapter is not in this clone's history (shallow clone)")
    page = tmp_path / "strategy.md"
    page.write_text(old.stdout, encoding="utf-8")
    flagged = freshness.check_file(page, "strategy.md", seeds)
    assert len(flagged) >= 24, len(flagged)


@pytest.mark.slow
def test_freshness_command_reports_file_line_and_seed(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"source seeds not found at {SEEDS}")
    (tmp_path / "docs" / "ar").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "docs" / "ar" / "page.md").write_text(
        f"# عنوان\n\n{FRESH[0]}\n{PARAPHRASES[0]}\n", encoding="utf-8")
    result = run_tool("freshness", "--root", str(tmp_path), "--seeds", str(SEEDS))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("docs/ar/page.md:4: follows a source sentence too closely")
    assert "002_02e8919f09d28c2e.txt: «قد يبدو الأمر واضحًا" in lines[0]


# A paragraph whose sentences each pass, but that walks through one roundtable
# passage in the seed's order (Highland Park, then the wider wish to exchange
# experience, New York and Oklahoma City): the second editorial review found it
# on the Implementation page; the sentence rule let it through.
PASSAGE_FOLLOWER = (
    "ولا يقتصر التعلم على ما تستخلصه المدينة من عملها، فالمدن تتعلم أيضًا بعضها من بعض. وكان بين "
    "الحاضرين في المائدة المستديرة مسؤولون من هايلاند بارك (Highland Park) بولاية إلينوي. وقد عاشت "
    "مدينتهم يوم ٤ يوليو ٢٠٢٢ إطلاق نار جماعي قُتل فيه سبعة أشخاص وجُرح ٤٨. وما شدّد عليه هؤلاء "
    "خاصةً هو أن تتعلم المدن من تجارب غيرها، عبر الأطلسي، في مواجهة الأزمات. وهذا جزء من حرص أعم "
    "أبداه المشاركون على تبادل الخبرات، ومن الممارسات التي ذكروها نهج نيويورك في الوقاية وتعافي أوكلاهوما سيتي.")


def test_a_paragraph_that_walks_through_a_seed_passage_is_caught(seeds, tmp_path):
    page = tmp_path / "page.md"
    page.write_text(f"# عنوان\n\n{PASSAGE_FOLLOWER}\n", encoding="utf-8")
    sentences = freshness.page_sentences(page)
    assert sentences and not any(follows(s.text, seeds) for s in sentences)  # each sentence passes alone
    found = freshness.check_file(page, "docs/ar/page.md", seeds)
    assert [(f.line, f.passage) for f in found] == [(3, True)], found
    assert str(found[0]).startswith("docs/ar/page.md:3: paragraph follows a source passage too closely")


def test_page_lines_survive_blank_lines_before_headings(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: x\n---\n\n# عنوان\n\nجملة أولى هنا.\n\n## قسم\n\nجملة ثانية هنا.\n", encoding="utf-8")
    lines = {s.text.rstrip("."): s.line for s in freshness.page_sentences(page)}
    assert lines["جملة أولى هنا"] == 7 and lines["جملة ثانية هنا"] == 11, lines


# --- freshness: the order rule (issue 21) -------------------------------------------
#
# Passages that walk a source clause by clause with synonyms swapped share few
# exact words with it, so the overlap rules above let them through; what they
# share comes in the source's order. The order rule aligns each paragraph,
# list item and data text with the seeds and fails it when its words follow a
# seed passage's order well beyond chance.

@pytest.fixture(scope="module")
def order_index():
    if not SEEDS.is_dir():
        if os.environ.get(freshness.SEEDS_ENV):
            pytest.fail(f"{freshness.SEEDS_ENV}={SEEDS} is not a directory")
        pytest.skip(f"source seeds not found at {SEEDS} (set {freshness.SEEDS_ENV})")
    return freshness.load_order_index(SEEDS, freshness.order_vocabulary(ROOT / "data"))


def walks(text: str, order_index) -> bool:
    result = freshness.order_compare(text, order_index)
    return result is not None and result.walks


def passes_overlap_rules(text: str, seeds) -> bool:
    sentences = freshness.split_sentences(text)
    passage = freshness.compare_passage(sentences, seeds)
    return not any(follows(s.text, seeds) for s in sentences) and (
        passage is None or passage[0] < freshness.PASSAGE_THRESHOLD)


# A planted walk: the seed's resourcing passage (Chapter 3, «وليس من غير المألوف
# أن تفشل استراتيجية وقائية جيدة الصياغة…») with nearly every word swapped for a
# synonym and the clauses kept in the seed's order.
PLANTED_WALK = (
    "وكثيرًا ما تُخفق خطة وقائية محكمة الصياغة في أن تفي بما وعدت به لأن مواردها لم تكفِ. "
    "ولأن الموارد شحيحة أبدًا، والمدن كثيرًا ما تُضغط ماليًا لتأمين خدماتها العامة الحالية، يصير "
    "السؤال في العادة: كيف يُنتفع بالمتاح منها لبلوغ النتائج؟ وإن لزم مزيد من الموارد، صار التحدي "
    "كيف تُحشد من غير أن تضيف عبئًا ماليًا ثقيلًا.")
# The same facts written afresh: the writer's own order and words.
GENUINE_REWRITE = (
    "من أين يأتي المال الإضافي دون أن يثقل الموازنة؟ هذا هو السؤال الثاني، ويسبقه سؤال أبسط عن "
    "حسن استعمال ما في اليد. فالمدن تنفق أصلًا كل ما لديها تقريبًا على خدماتها المعتادة، ولن يزيد "
    "ما لديها. وخطة لا يُرصد لها ما يكفي تبقى حبرًا على ورق مهما أُتقنت كتابتها.")
# A real case from the tree as it stood when the rule was written (issue 21):
# the "do no harm" principle on the Arabic Strategy page, which walked the
# seed's bullet and passed the overlap rules.
REAL_WALK = (
    "عدم الإضرار («لا ضرر ولا ضرار»). أصله في العمل الإنساني والتنموي، وسؤاله بسيط: هل يمكن أن "
    "يخلّف هذا التدخل ضررًا لم نقصده؟ فالمطلوب أن يحسّن التدخل الحال دائمًا، وألا يزيدها سوءًا، "
    "وألا يصيب بأذى أحدًا من الأفراد أو الجماعات.")
# ... and the France row of data/mandates.yml, which walked its seed bullet.
REAL_ROW = ("ليس للبلديات تفويض قانوني بالوقاية من العنف الذي تحركه الكراهية أو التطرف، لكنها مفوّضة "
            "بمنع الجريمة، ولا شيء يمنعها من وضع سياسات خاصة بها في مواجهة الكراهية والتطرف.")


def test_a_planted_seed_walk_passes_the_overlap_rules_but_fails_the_order_rule(seeds, order_index):
    assert passes_overlap_rules(PLANTED_WALK, seeds)  # what the check let through before
    result = freshness.order_compare(PLANTED_WALK, order_index)
    assert result is not None and result.walks, result
    assert result.seed_file == "002_02e8919f09d28c2e.txt" and "الموارد" in result.seed_text


def test_a_genuine_rewrite_of_the_same_facts_passes(seeds, order_index):
    assert passes_overlap_rules(GENUINE_REWRITE, seeds)
    result = freshness.order_compare(GENUINE_REWRITE, order_index)
    assert result is not None, "the rewrite is long enough to be compared"
    assert not result.walks and result.score < freshness.ORDER_THRESHOLD / 2, result


@pytest.mark.parametrize("text", [REAL_WALK, REAL_ROW], ids=["strategy-do-no-harm", "mandates-france"])
def test_walks_found_in_the_tree_fail_the_order_rule(text, seeds, order_index):
    assert passes_overlap_rules(text, seeds)
    assert walks(text, order_index), freshness.order_compare(text, order_index)


def test_fresh_sentences_with_the_seeds_facts_pass_the_order_rule(order_index):
    # The fresh sentences the overlap rules were tuned on, as one paragraph.
    assert not walks(" ".join(FRESH), order_index), freshness.order_compare(" ".join(FRESH), order_index)


def test_shuffling_a_walk_removes_what_the_order_rule_sees(order_index):
    # The same words in another order: the rule measures order, not overlap.
    words = PLANTED_WALK.split()
    shuffled = " ".join(words[i] for i in sorted(range(len(words)), key=lambda i: (i * 7919) % len(words)))
    result = freshness.order_compare(shuffled, order_index)
    assert result is not None and not result.walks, result


# --- the chain rule (issue 21, second round) ----------------------------------------
#
# A walk written with synonyms the order rule's list does not know: the seed's
# legal-basis passage (Chapter 3, «لا يمكن أن يؤدي ذلك إلى زيادة عزل نهج
# المدينة…») followed clause by clause, nearly every content word swapped
# (عزل → إبعاد، التغيرات السياسية قصيرة الأجل → تقلبات السياسة العابرة، أساس
# قانوني → قاعدة تشريعية، جمع الموارد → تدبير المال …), the clauses and the
# closing cross-reference kept in the seed's order. It shares so few words with
# the seed that the weighted order score stays at 0.06; the words it does
# share keep the seed's order, which is what the chain rule counts.
UNKNOWN_SYNONYM_WALK = (
    "وليس الأثر مقصورًا على إبعاد خطة المدينة عن تقلبات السياسة العابرة، بل يُرسي الخطة على قاعدة "
    "تشريعية يُتوقع أن تيسّر كذلك ضمّها إلى الالتزامات القانونية العامة للمدينة، وقد تسند المساعي "
    "الهادفة إلى تدبير المال وسواه، كأن يُطلب إدخالها في الموازنات السنوية. وقد مرّ في موضع سابق من "
    "هذا الفصل الكلام على إصدار قرار من المجلس البلدي أو تبديل القوانين القائمة لتضمينها أحكامًا "
    "لإطار وقائي عند الحديث عن تقوية تفويض المدينة، غير أنه ركن مهم كذلك في خطة المدينة لضمان "
    "الاستمرار.")
# The same facts told afresh: the budget request first, then what the legal
# basis protects, then the pointer back to the mandate section.
LEGAL_BASIS_REWRITE = (
    "حين تطلب المدينة للوقاية بندًا في موازنتها السنوية، يسهل طلبها إذا كان للإطار سند في قرار من "
    "المجلس البلدي أو في تشريع عُدّل له. والسند نفسه يحمي العمل إذا تبدّلت القيادة بعد انتخابات، "
    "ويجعل الوقاية واجبًا من واجبات المدينة القانونية لا مبادرة عابرة. وقد مرّ هذان الطريقان في "
    "الكلام على التفويض.")


def test_a_walk_with_unknown_synonyms_passes_the_older_rules_but_fails_the_chain_rule(seeds, order_index):
    assert passes_overlap_rules(UNKNOWN_SYNONYM_WALK, seeds)
    result = freshness.order_compare(UNKNOWN_SYNONYM_WALK, order_index)
    assert result is not None and not result.weighted_walks, result  # what the order score alone let through
    assert result.chain_walks and result.walks, result
    assert result.seed_file == "002_02e8919f09d28c2e.txt" and "أساس قانوني" in result.seed_text, result


def test_a_rewrite_of_the_legal_basis_facts_passes_the_chain_rule(seeds, order_index):
    assert passes_overlap_rules(LEGAL_BASIS_REWRITE, seeds)
    result = freshness.order_compare(LEGAL_BASIS_REWRITE, order_index)
    assert result is not None and not result.walks, result
    assert result.chain < freshness.CHAIN_EXCESS / 2, result


@pytest.mark.parametrize("text", [UNKNOWN_SYNONYM_WALK, PLANTED_WALK], ids=["unknown-synonyms", "planted"])
def test_shuffling_a_walk_removes_its_chain(text, order_index):
    words = text.split()
    shuffled = " ".join(words[i] for i in sorted(range(len(words)), key=lambda i: (i * 7919) % len(words)))
    before = freshness.order_compare(text, order_index)
    after = freshness.order_compare(shuffled, order_index)
    assert before.chain_walks and not after.chain_walks, (before, after)
    assert after.chain < before.chain - 1, (before, after)


def test_the_chain_rule_counts_words_not_weight():
    # two matched words in the seed's order and one out of it, whatever their weights
    assert freshness._aligned_weight([[0], [5], [1], [2]], [1.0] * 4) == 3.0


def test_a_chain_walk_is_reported_with_its_count(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"source seeds not found at {SEEDS}")
    (tmp_path / "docs" / "ar").mkdir(parents=True)
    # the real data gives the names and terms (they weigh little and do not chain); only the page is checked
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "docs" / "ar" / "page.md").write_text(f"# عنوان\n\n{UNKNOWN_SYNONYM_WALK}\n", encoding="utf-8")
    result = run_tool("freshness", "--root", str(tmp_path), "--seeds", str(SEEDS), "docs/ar/page.md")
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("docs/ar/page.md:3: follows the order of a source passage (order score 0."), line
    assert f"words in the seed's order beyond chance, fails at {freshness.CHAIN_EXCESS:.1f}" in line, line
    assert "002_02e8919f09d28c2e.txt: «" in line and "rewrite it from the facts" in line


def test_aligned_weight_is_an_order_aware_measure():
    one = [1.0, 1.0, 1.0]
    assert freshness._aligned_weight([[0], [1], [2]], one) == 3.0           # the seed's order
    assert freshness._aligned_weight([[2], [1], [0]], one) == 1.0           # reversed
    assert freshness._aligned_weight([[3, 0], [1], [2]], one) == 3.0        # the best of two places
    assert freshness._aligned_weight([[1], [0], [2]], [1.0, 2.0, 1.0]) == 3.0  # heavier words first
    # Cut once: "C D A B" follows "A B C D" in two parts.
    assert freshness._aligned_with_cut([[2], [3], [0], [1]], [1.0] * 4, [2]) == 4.0
    assert freshness._aligned_weight([[2], [3], [0], [1]], [1.0] * 4) == 2.0


@pytest.mark.parametrize("a,b", [("تحسين", "يحسّن"), ("المجتمعات", "الجماعات"), ("والوقاية", "وقاية"),
                                 ("للمسؤولية", "المسؤولية"), ("الجهات", "الوكالات"), ("مدينتها", "المدينة")])
def test_order_keys_match_forms_of_one_word(a, b):
    assert set(freshness.order_keys(a)) & set(freshness.order_keys(b)), (freshness.order_keys(a), freshness.order_keys(b))


@pytest.mark.slow
def test_order_rule_reports_file_true_line_field_and_score(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"source seeds not found at {SEEDS}")
    (tmp_path / "docs" / "ar").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    # the termbase gives the names and terms (it is not itself checked)
    (tmp_path / "data" / "termbase.yml").write_bytes((ROOT / "data" / "termbase.yml").read_bytes())
    (tmp_path / "docs" / "ar" / "page.md").write_text(
        f"---\ntitle: x\n---\n\n# عنوان\n\n{GENUINE_REWRITE}\n\n- بند أول.\n- {PLANTED_WALK}\n", encoding="utf-8")
    (tmp_path / "data" / "mandates.yml").write_text(
        "mandates:\n  - id: bangladesh\n    country: {ar: بنغلاديش, en: Bangladesh}\n"
        "  - id: france\n    country:\n      ar: فرنسا\n      en: France\n    summary:\n"
        f"      ar: {REAL_ROW}\n      en: x\n", encoding="utf-8")
    result = run_tool("freshness", "--root", str(tmp_path), "--seeds", str(SEEDS))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    page, row = lines
    # the list item starts on line 10; the walk starts in its second sentence (same line)
    assert page.startswith("docs/ar/page.md:10: follows the order of a source passage (order score 0."), page
    assert row.startswith("data/mandates.yml:9: mandate 'france': field 'summary.ar': follows the order of a source "
                          "passage (order score 0."), row
    for line in lines:
        assert f"fails at {freshness.ORDER_THRESHOLD:.2f}" in line and "rewrite it from the facts" in line
        assert "002_02e8919f09d28c2e.txt: «" in line
    assert "paragraphs follow the seeds too closely" in result.stderr


def test_order_units_carry_true_line_and_field(tmp_path):
    (tmp_path / "mandates.yml").write_text(
        "mandates:\n  - id: france\n    country: {ar: فرنسا, en: France}\n    summary:\n      ar: |\n"
        "        سطر أول.\n        سطر ثان.\n      en: x\n  - country: {ar: كينيا, en: Kenya}\n", encoding="utf-8")
    (tmp_path / "ui.yml").write_text("box.source: {ar: \"المصدر:\", en: \"Source:\"}\n", encoding="utf-8")
    units = freshness.data_units(tmp_path / "mandates.yml")
    assert [(u.line, u.label, u.lines_kept) for u in units] == [
        (3, "mandate 'france': field 'country.ar'", False),
        (6, "mandate 'france': field 'summary.ar'", True),   # a literal block starts below its «|»
        (9, "mandate #2: field 'country.ar'", False),
    ], units
    assert [(u.line, u.label) for u in freshness.data_units(tmp_path / "ui.yml")] == [(1, "key 'box.source': field 'ar'")]
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: x\n---\n\n# عنوان\n\nفقرة أولى\nفي سطرين.\n\n- بند أول.\n- بند ثان\n  في سطرين.\n",
                    encoding="utf-8")
    assert [(u.line, " ".join(u.text.split()).rstrip(".")) for u in freshness.page_units(page)] == [
        (5, "عنوان"), (7, "فقرة أولى في سطرين"), (10, "بند أول"), (11, "بند ثان في سطرين")]


@pytest.mark.slow
def test_no_paragraph_walks_the_seeds_in_order(order_index):
    """The real pages and data. Failed on the tree of issue 21 (30 walks), and
    with the chain rule on three passages of the next round; passes once the
    content is rewritten."""
    found = freshness.check_order(ROOT, order_index)
    assert not found, f"{len(found)} paragraphs walk a seed passage in order:\n" + "\n".join(map(str, found))
