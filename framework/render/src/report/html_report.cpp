#include "bre/report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string_view>
#include <vector>

#include "bre/map/svg_map.hpp"
#include "bre/params.hpp"
#include "bre/report/numbers.hpp"
#include "bre/value_kind.hpp"
#include "explore.hpp"

namespace bre::report {
namespace {

// ---------------------------------------------------------------- words

// Every fixed text of the page, Dutch first (the study's language), English second.
const WordTable& dictionary() {
  static const WordTable words = {
      {"title", {"Bestuurlijke regionale ecosystemen", "Administrative regional ecosystems"}},
      {"subtitle", {"Rapport van een bre-run", "Report of a bre run"}},
      {"dataset", {"Dataset", "Dataset"}},
      {"seed", {"Seed", "Seed"}},
      {"version", {"bre-versie", "bre version"}},
      {"contents", {"Inhoud", "Contents"}},
      {"maps", {"Kaarten", "Maps"}},
      {"regions", {"Regio's", "Regions"}},
      {"regions_intro",
       {"Per regio van de indeling {1} een profiel: de gemeenten, de kerncijfers in gewone woorden, alle "
        "indicatoren, de democratische legitimiteit en de fase in de levenscyclus.",
        "A profile of each region of the partition {1}: its municipalities, the key figures in plain words, all "
        "indicators, democratic legitimacy and the stage in the life cycle."}},
      {"municipalities", {"gemeenten", "municipalities"}},
      {"unassigned", {"Niet ingedeeld", "Unassigned"}},
      {"legitimacy", {"Democratische legitimiteit", "Democratic legitimacy"}},
      {"lifecycle", {"Levenscyclus", "Life cycle"}},
      {"stage", {"Fase", "Stage"}},
      {"confidence", {"zekerheid", "confidence"}},
      {"evidence", {"Onderbouwing", "Evidence"}},
      {"supports", {"ondersteunt", "supports"}},
      {"against", {"spreekt tegen", "speaks against"}},
      {"directions", {"Mogelijke ontwikkelrichtingen", "Possible development directions"}},
      {"recommendations", {"Aanbevelingen", "Recommendations"}},
      {"missing", {"Ontbrekende kenmerken", "Missing descriptors"}},
      {"dimension", {"Dimensie", "Dimension"}},
      {"legitimacy_note",
       {"Score van 0 tot 100 die de volksvertegenwoordigers uit de regio geven (hoger: meer legitimiteit), met het "
        "95%-interval; n is het aantal respondenten.",
        "Score from 0 to 100 given by the region's elected representatives (higher: more legitimacy), with the 95% "
        "interval; n is the number of respondents."}},
      {"mean", {"Gemiddelde", "Mean"}},
      {"interval", {"95%-interval", "95% interval"}},
      {"comparison", {"Vergelijking van indelingen", "Partition comparison"}},
      {"partition_a", {"Indeling A", "Partition A"}},
      {"partition_b", {"Indeling B", "Partition B"}},
      {"legitimacy_summary", {"Verschillen tussen regio's", "Differences between regions"}},
      {"warnings", {"Opmerkingen bij de gegevens", "Notes on the data"}},
      {"failed_steps", {"Stappen die niet zijn gelukt", "Steps that did not succeed"}},
      {"analyses", {"Analyses op deze gegevens", "Analyses on this data"}},
      {"variation", {"Verschillen tussen BRE's en wat ermee samenhangt", "Variation between BREs and what goes with it"}},
      {"variation_intro",
       {"Per uitkomst het aandeel van de variantie dat tussen BRE's ligt (ICC, random-interceptmodel met REML) "
        "met 95%-interval (profielaannemelijkheid); daarna de samenhang van regiokenmerken met de "
        "regiogemiddelden, met permutatie-p en correctie voor het aantal toetsen (Holm, Benjamini–Hochberg).",
        "Per outcome the share of variance between BREs (ICC, random-intercept model by REML) with a 95% "
        "interval (profile likelihood); then the association of region characteristics with the region means, "
        "with permutation p and corrections for the number of tests (Holm, Benjamini–Hochberg)."}},
      {"icc_axis", {"Aandeel variantie tussen BRE's", "Share of variance between BREs"}},
      {"outcome", {"Uitkomst", "Outcome"}},
      {"characteristic", {"Kenmerk", "Characteristic"}},
      {"effect", {"Effect", "Effect"}},
      {"not_estimable", {"niet te schatten", "not estimable"}},
      {"not_tested", {"niet getoetst", "not tested"}},
      {"variation_caveats",
       {"Kanttekeningen: met zo weinig regio's hebben de toetsen weinig onderscheidend vermogen, dus het "
        "ontbreken van samenhang bewijst niet dat er geen samenhang is; samenhang is geen oorzaak; de zinnen "
        "hierboven zijn uit de getallen afgeleid.",
        "Caveats: with this few regions the tests have little power, so finding no association does not show "
        "that there is none; association is not cause; the sentences above are generated from the numbers."}},
      {"biotope_spread", {"Biotoop: spreiding binnen en tussen de regio's", "Biotope: spread inside and between the regions"}},
      {"biotope_spread_intro",
       {"Elke stip is een gemeente, het streepje het bevolkingsgewogen gemiddelde van de regio, de stippellijn het "
        "landelijk gemiddelde. Getoond: de indicatoren waarvan de verschillen tussen de regio's het kleinste deel "
        "van alle verschillen verklaren; de tabel biotope_spread geeft ze alle.",
        "Each dot is a municipality, the tick the region's population-weighted mean, the dashed line the national "
        "mean. Shown: the indicators whose differences between the regions explain the smallest part of all "
        "differences; the biotope_spread table gives them all."}},
      {"between_share", {"tussen regio's", "between regions"}},
      {"of_variance", {"van de variantie", "of the variance"}},
      {"analysis", {"Analyse", "Analysis"}},
      {"analysis_state", {"Op deze gegevens", "On this data"}},
      {"analysis_how", {"Toelichting", "What it used or would need"}},
      {"ran", {"uitgevoerd", "ran"}},
      {"not_run", {"niet uitgevoerd", "did not run"}},
      {"not_in_pipeline", {"niet in deze pijplijn", "not in this pipeline"}},
      {"methods", {"Methode", "Methods"}},
      {"definitions", {"Definities", "Definitions"}},
      {"steps", {"Stappen, plugins en parameters", "Steps, plugins and parameters"}},
      {"step", {"Stap", "Step"}},
      {"plugin", {"Plugin", "Plugin"}},
      {"parameters", {"Parameters", "Parameters"}},
      {"indicators", {"Indicatoren", "Indicators"}},
      {"indicator", {"Indicator", "Indicator"}},
      {"definition", {"Definitie", "Definition"}},
      {"no_value", {"–", "–"}},
      {"highlights", {"Kerncijfers", "Key figures"}},
      {"organisation", {"Organisatie", "Organisation"}},
      {"arrangements", {"samenwerkingsverbanden", "arrangements"}},
      {"dus", {"Dagelijks stedelijk systeem", "Daily urban system"}},
      {"self_containment", {"Zelfvoorziening woon-werk", "Commuting self-containment"}},
      {"kf_arrangements_figure", {"{1} samenwerkingsverbanden", "{1} arrangements"}},
      {"kf_arrangements",
       {"verbanden waaraan minstens twee gemeenten van de regio deelnemen",
        "arrangements in which at least two of the region's municipalities take part"}},
      {"kf_c1",
       {"{1} van de samenwerkingsbanden van deze gemeenten blijft binnen de regio",
        "{1} of the cooperation ties of these municipalities stay inside the region"}},
      {"kf_c2",
       {"bij {1} van de {2} samenwerkingsverbanden in de regio doen alle {3} gemeenten mee",
        "all {3} municipalities take part in {1} of the region's {2} arrangements"}},
      {"kf_fi",
       {"{1} van de taken (een beleidsdomein in een samenwerkingsverband) zit in verbanden die meer dan één "
        "domein bundelen",
        "{1} of the tasks (a policy domain in an arrangement) sit in arrangements that bundle more than one domain"}},
      {"kf_self_containment",
       {"{1} van de pendelaars die in de regio wonen, werkt ook in de regio",
        "{1} of the commuters who live in the region also work in it"}},
      {"dus_subregional", {"subregionaal", "subregional"}},
      {"dus_regional", {"regionaal", "regional"}},
      {"dus_interregional", {"interregionaal", "interregional"}},
      {"kf_dus_subregional",
       {"de pendelregio's zijn kleiner dan deze regio: wonen en werken speelt zich af in delen ervan",
        "the commuting regions are smaller than this region: people live and work within parts of it"}},
      {"kf_dus_regional",
       {"de pendelregio valt grotendeels samen met deze regio", "the commuting region largely coincides with this region"}},
      {"kf_dus_interregional",
       {"de pendelregio reikt over de grens van deze regio heen", "the commuting region reaches across this region's border"}},
      {"position_low", {"laag", "low"}},
      {"position_high", {"hoog", "high"}},
      {"trend_negative", {"negatief", "negative"}},
      {"trend_average", {"gemiddeld", "average"}},
      {"trend_positive", {"positief", "positive"}},
      {"kf_level",
       {"gemiddelde gestandaardiseerde score van de indicatoren voor brede welvaart, in standaardafwijkingen (0 is "
        "de gemiddelde gemeente, hoger is beter); hoog of laag ten opzichte van de landelijke mediaan",
        "mean standardised score of the broad well-being indicators, in standard deviations (0 is the average "
        "municipality, higher is better); high or low against the national median"}},
      {"kf_trend",
       {"verandering van die score per jaar; positief, gemiddeld of negatief ten opzichte van de landelijke mediaan",
        "change of that score per year; positive, average or negative against the national median"}},
      {"quadrant_short", {"Kwadrant", "Quadrant"}},
      {"bw_trend", {"Trend van brede welvaart", "Broad well-being trend"}},
      {"broad_wellbeing", {"Brede welvaart", "Broad well-being"}},
      {"level", {"niveau", "level"}},
      {"trend", {"trend", "trend"}},
      {"biotope", {"Biotoop: grootste afwijkingen van Nederland", "Biotope: largest departures from the Netherlands"}},
      {"region_value", {"regio", "region"}},
      {"national", {"NL", "NL"}},
      {"spread", {"spreiding binnen de regio", "spread within the region"}},
      {"themes", {"Thema's", "Themes"}},
      {"all_tables", {"Alle indicatoren", "All indicators"}},
      {"quadrant", {"Kwadrant: investering en brede welvaart", "Quadrant: investment and broad well-being"}},
      {"quadrant_intro",
       {"Horizontaal: investeert de bestuurlijke gemeenschap gestructureerd in het ecosysteem? Verticaal: niveau "
        "van brede welvaart (pijl: trend over vier jaar). De stippellijn is de landelijke mediaan.",
        "Horizontal: does the administrative community invest in the ecosystem in a structured way? Vertical: "
        "broad well-being level (arrow: trend over four years). The dashed line is the national median."}},
      {"investing", {"investeert", "invests"}},
      {"not_investing", {"investeert niet", "does not invest"}},
      {"unknown", {"onbekend", "unknown"}},
      {"regions_count", {"regio's", "regions"}},
      {"scale", {"Schaal van de indeling", "Scale of the partition"}},
      {"scale_axis_resolution", {"resolutie (logaritmisch)", "resolution (log scale)"}},
      {"scale_axis_regions", {"aantal regio's", "number of regions"}},
      {"scale_axis_agreement", {"overeenstemming tussen seeds", "agreement between seeds"}},
      {"scale_selected", {"gekozen", "selected"}},
      {"scale_coarser", {"grover niveau", "coarser level"}},
      {"scale_stable", {"stabiel plateau", "stable plateau"}},
      {"part_of", {"Onderdeel van", "Part of"}},
      {"plateau_table", {"Stabiele plateaus", "Stable plateaus"}},
      {"from_to", {"resolutie", "resolution"}},
      {"width_decades", {"breedte (decaden)", "width (decades)"}},
      {"rank", {"rang", "rank"}},
      {"table_membership_confidence", {"Zekerheid van indeling", "Membership confidence"}},
      {"table_nesting", {"Grover niveau", "Coarser level"}},
      {"table_congruence", {"Organisatie: congruentie en rechtsvormen", "Organisation: congruence and legal forms"}},
      {"table_dus", {"Dagelijks stedelijk systeem", "Daily urban system"}},
      {"table_dus_agreement", {"Pendelregio's tegenover BRE's", "Commuting regions against BREs"}},
      {"table_biotope", {"Biotoop", "Biotope"}},
      {"table_biotope_spread", {"Biotoop: spreiding", "Biotope: spread"}},
      {"table_broad_wellbeing", {"Brede welvaart", "Broad well-being"}},
      {"table_broad_wellbeing_municipalities", {"Brede welvaart per gemeente", "Broad well-being per municipality"}},
      {"table_quadrant", {"Kwadrant", "Quadrant"}},
      {"table_scale_profile", {"Resolutieprofiel", "Resolution profile"}},
      {"table_scale_plateaus", {"Stabiele plateaus", "Stable plateaus"}},
      {"table_partitions", {"Indelingen", "Partitions"}},
      {"table_comparisons", {"Vergelijkingen van indelingen", "Partition comparisons"}},
      {"def_network",
       {"Samenwerkingsnetwerk: de gemeenten zijn de knopen; twee gemeenten zijn verbonden wanneer zij samen aan een "
        "samenwerkingsverband deelnemen (een verband telt mee als minstens twee gemeenten deelnemen; provincies, "
        "waterschappen en het Rijk mogen meedoen maar worden geen knoop). Het gewicht van een verbinding is het "
        "aantal verbanden dat de twee delen; in de fractionele variant telt een verband met n gemeenten 1/(n−1) per "
        "paar, zodat één groot verband niet zwaarder weegt dan veel kleine. Statistische en rijksindelingen (COROP, "
        "provincies, rechtsgebieden) zijn geen samenwerking: het zijn indelingen om mee te vergelijken.",
        "Cooperation network: the municipalities are the nodes; two municipalities are tied when they take part in "
        "an arrangement together (an arrangement counts when at least two municipalities take part; provinces, "
        "water boards and the national government may take part but do not become nodes). A tie's weight is the "
        "number of arrangements the two share; in the fractional variant an arrangement of n municipalities adds "
        "1/(n−1) to each pair, so that one large arrangement does not outweigh many small ones. Statistical and "
        "state divisions (COROP, provinces, court districts) are not cooperation: they are partitions to compare "
        "with."}},
      {"def_bre",
       {"BRE (bestuurlijk regionaal ecosysteem): een cluster in dat netwerk, een groep gemeenten die vooral met "
        "elkaar samenwerken, gevonden door een clusteralgoritme. De kaart van alle BRE's is de informele "
        "bestuurlijke kaart van Nederland.",
        "BRE (administrative regional ecosystem): a cluster of that network, a group of municipalities that "
        "cooperate mostly with each other, found by a clustering algorithm. The map of all BREs is the informal "
        "administrative map of the country."}},
      {"def_scale",
       {"Schaal: een clusteralgoritme met een resolutie vindt bij lage resolutie weinig grote regio's en bij hoge "
        "resolutie veel kleine. Het resolutieprofiel clustert over een reeks resoluties met meerdere seeds; een "
        "stabiel plateau is een reeks naburige resoluties waarin de indeling gelijk blijft en de seeds het eens "
        "zijn (overeenstemming gemeten met de gecorrigeerde Rand-index, tot 1). De regio's komen van het breedste "
        "plateau, niet van een met de hand gekozen resolutie; het grovere niveau daarboven is de schaal waarin zij "
        "passen.",
        "Scale: a clustering algorithm with a resolution finds a few large regions at a low resolution and many "
        "small ones at a high resolution. The resolution profile clusters over a range of resolutions with several "
        "seeds; a stable plateau is a run of neighbouring resolutions over which the partition stays the same and "
        "the seeds agree (agreement measured by the adjusted Rand index, up to 1). The regions come from the widest "
        "plateau, not from a resolution picked by hand; the coarser level above is the scale they nest in."}},
      {"def_confidence",
       {"Zekerheid van indeling: de indeling is de consensus van vele clusteringen (seeds, resoluties); de "
        "zekerheid van een gemeente is het aandeel van die clusteringen waarin zij bij haar consensusregio zit. "
        "Lage zekerheid wijst op een overlappende lappendeken van samenwerking.",
        "Membership confidence: the partition is the consensus of many clusterings (seeds, resolutions); a "
        "municipality's confidence is the share of those clusterings in which it sits with its consensus region. "
        "Low confidence points to an overlapping patchwork of cooperation."}},
      {"def_c1",
       {"Congruentie 1 (C1, territoriaal): het aandeel van het gewicht van de samenwerkingsbanden van de gemeenten "
        "van een regio dat binnen de regio blijft: tweemaal het gewicht van de verbindingen binnen de regio, gedeeld "
        "door de som van de gewogen graden van haar gemeenten. 1 betekent dat alle samenwerking binnen de regio "
        "blijft.",
        "Congruence 1 (C1, territorial): the share of the tie weight of a region's municipalities that stays inside "
        "the region: twice the weight of the ties inside the region divided by the sum of its municipalities' "
        "weighted degrees. 1 means all cooperation stays inside the region."}},
      {"def_c2",
       {"Congruentie 2 (C2, volledige deelname): het aandeel van de samenwerkingsverbanden van een regio (met "
        "minstens twee van haar gemeenten) waaraan alle gemeenten van de regio deelnemen. Een regio kan scherp "
        "begrensd zijn (hoge C1) terwijl weinig verbanden al haar gemeenten omvatten (lage C2).",
        "Congruence 2 (C2, complete participation): the share of a region's arrangements (with at least two of its "
        "municipalities) in which all municipalities of the region take part. A region can be sharply bounded (high "
        "C1) while few arrangements include all its municipalities (low C2)."}},
      {"def_fi",
       {"Functionele integraliteit (FI): hoeveel beleidsdomeinen in dezelfde verbanden gebundeld zijn. Een taak is "
        "een beleidsdomein van een samenwerkingsverband; FI is het aandeel van de taken dat in verbanden met twee of "
        "meer domeinen zit. 1: elke taak is met een ander domein gebundeld; 0: elk verband dient één domein. "
        "Verbanden zonder bekend domein tellen niet mee.",
        "Functional integrality (FI): how much policy domains are bundled in the same arrangements. A task is a "
        "policy domain of an arrangement; FI is the share of the tasks that sit in arrangements with two or more "
        "domains. 1: every task is bundled with another domain; 0: every arrangement serves one domain. "
        "Arrangements without a known domain are left out."}},
      {"def_dus",
       {"Dagelijks stedelijk systeem: de regio waarin mensen werkelijk wonen en werken, uit de woon-werkstromen. "
        "Zelfvoorziening van een regio: het aantal mensen dat in de regio woont en werkt, gedeeld door het aantal "
        "dat er woont. Pendelregio's zijn clusters van het pendelnetwerk; een BRE is subregionaal als de "
        "pendelregio's kleiner zijn dan zij, regionaal als ze samenvallen en interregionaal als ze over haar grens "
        "reiken.",
        "Daily urban system: the region people actually live and work in, from the commuting flows. A region's "
        "self-containment: the number of people who live and work in the region divided by the number who live in "
        "it. Commuting regions are clusters of the commuting network; a BRE is subregional when the commuting "
        "regions are smaller than it, regional when they coincide and interregional when they reach across its "
        "border."}},
      {"def_biotope",
       {"Biotoop (gebiedskenmerken): per indicator en regio het bevolkingsgewogen gemiddelde, minimum en maximum "
        "over de gemeenten, de variatiecoëfficiënt (standaardafwijking gedeeld door het gemiddelde: de spreiding "
        "binnen de regio) en het landelijk gemiddelde. Verschillen binnen een regio zijn vaak even groot als "
        "verschillen tussen regio's.",
        "Biotope (area characteristics): per indicator and region the population-weighted mean, minimum and maximum "
        "over the municipalities, the coefficient of variation (standard deviation divided by the mean: the spread "
        "inside the region) and the national mean. Differences inside a region are often as large as differences "
        "between regions."}},
      {"def_wellbeing",
       {"Brede welvaart: per thema worden de indicatoren gestandaardiseerd (z-score over de gemeenten, met het "
        "teken zo dat hoger beter is) en gemiddeld; de thema's samen geven de index. Per regio: het niveau "
        "(bevolkingsgewogen), de trend (verandering per jaar), en hoog of laag ten opzichte van de landelijke "
        "mediaan.",
        "Broad well-being: per theme the indicators are standardised (z-score over the municipalities, signed so "
        "that higher is better) and averaged; the themes together give the index. Per region: the level "
        "(population-weighted), the trend (change per year), and high or low against the national median."}},
      {"def_quadrant",
       {"Kwadrant: horizontaal of de bestuurlijke gemeenschap gestructureerd in het ecosysteem investeert (een "
        "gedeelde agenda met afspraken over besluitvorming en capaciteit), verticaal het niveau van brede welvaart. "
        "Hoog en investerend: consolideert; laag en investerend: snelste relatieve vooruitgang verwacht; hoog en niet "
        "investerend: stabiliseert hooguit; laag en niet investerend: dreigt verder weg te zakken.",
        "Quadrant: horizontally whether the administrative community invests in the ecosystem in a structured way "
        "(a shared agenda with agreements on decision-making and capacity), vertically the broad well-being level. "
        "High and investing: consolidates; low and investing: fastest relative progress expected; high and not "
        "investing: stabilises at best; low and not investing: risks sinking further."}},
      {"def_legitimacy",
       {"Democratische legitimiteit: volksvertegenwoordigers (raadsleden, Statenleden, leden van het algemeen bestuur "
        "van waterschappen) beantwoorden stellingen op een schaal van 1 tot 5. Per dimensie (fundamenteel, input, "
        "throughput, output) is de score van een respondent het gemiddelde van de beantwoorde stellingen, "
        "omgerekend naar 0–100. Per regio: het gemiddelde met een bootstrap-interval van 95% en n, het aantal "
        "respondenten. α is Cronbachs alfa (betrouwbaarheid van de schaal); F, p en η² komen uit de "
        "variantieanalyse tussen regio's, H en p uit de toets van Kruskal en Wallis.",
        "Democratic legitimacy: elected representatives (council members, provincial council members, members of "
        "water-board assemblies) answer statements on a scale of 1 to 5. Per dimension (fundamental, input, "
        "throughput, output) a respondent's score is the mean of the answered statements, rescaled to 0–100. Per "
        "region: the mean with a 95% bootstrap interval and n, the number of respondents. α is Cronbach's alpha "
        "(the reliability of the scale); F, p and η² come from the analysis of variance between regions, H and p "
        "from the Kruskal–Wallis test."}},
      {"def_lifecycle",
       {"Levenscyclus: een ontmoetingsplek (bestuurders ontmoeten elkaar en stemmen af, zonder gedeelde visie en "
        "agenda), een startup (overeenstemming over waarom er op deze schaal wordt samengewerkt; wat en hoe worden "
        "uitgewerkt) of een draaiend systeem (overeenstemming over waarom, wat en hoe, met een gedeelde agenda, "
        "afspraken over besluitvorming en capaciteit en een vaste plek voor economische en maatschappelijke "
        "partners), afgeleid uit de kenmerken van de casus. Er is geen eindfase die elke regio moet bereiken.",
        "Life cycle: a meeting place (administrators meet and align, without a shared vision and agenda), a start-up "
        "(consensus on why to cooperate at this scale; what and how are being worked out) or a running system "
        "(consensus on why, what and how, with a shared agenda, agreements on decision-making and capacity and a "
        "structural place for economic and societal partners), derived from the case descriptors. There is no "
        "final stage every region should reach."}},
      {"def_comparison",
       {"Vergelijking van indelingen: NMI (genormaliseerde wederzijdse informatie, 0 tot 1) en ARI (gecorrigeerde "
        "Rand-index, 1 bij gelijke indelingen, rond 0 bij toeval) meten de overeenkomst; VI (variatie van "
        "informatie, 0 bij gelijke indelingen) meet het verschil.",
        "Partition comparison: NMI (normalised mutual information, 0 to 1) and ARI (adjusted Rand index, 1 for "
        "identical partitions, around 0 by chance) measure agreement; VI (variation of information, 0 for identical "
        "partitions) measures difference."}},
      {"def_numbers",
       {"Getallen: aantallen als gehele getallen, aandelen als percentage, andere waarden met zoveel decimalen als "
        "hun grootte vraagt; een decimale komma en een punt tussen duizendtallen. Een streepje betekent: geen waarde.",
        "Numbers: counts as whole numbers, shares as percentages, other values with as many decimals as their size "
        "needs; a decimal point and a comma between thousands. A dash means: no value."}},
  };
  return words;
}

class Page {
 public:
  explicit Page(Language language) : language_(language) {}

  std::string word(std::string_view key) const { return std::string(word_in(dictionary(), key, language_)); }
  const std::string& pick(const std::string& nl, const std::string& en) const {
    return language_ == Language::kDutch && !nl.empty() ? nl : en;
  }
  Language language() const { return language_; }
  // The entry `key` with {1}, {2}, ... replaced by `values` in order.
  std::string fill(std::string_view key, std::initializer_list<std::string> values) const {
    std::string text = word(key);
    int n = 0;
    for (const std::string& value : values) {
      const std::string mark = "{" + std::to_string(++n) + "}";
      if (const auto at = text.find(mark); at != std::string::npos) text.replace(at, mark.size(), value);
    }
    return text;
  }

  // Numbers by kind, with the language's separators (bre/report/numbers.hpp).
  std::string count(double value) const { return format_count(value, language_); }
  std::string percent(double share) const { return format_percent(share, language_); }
  std::string decimal(double value) const { return format_decimal(value, language_); }
  // Escaped for the page: "&lt; 0,001".
  std::string p_value(double p) const { return map::escape_xml(format_p_value(p, language_)); }
  std::string fixed(double value, int decimals) const { return format_fixed(value, decimals, language_); }
  // An axis tick on a decade scale, as short as it can be: 0,1 / 1 / 10 / 100.
  std::string tick(double value) const {
    const int decimals = value > 0 && value < 1 ? static_cast<int>(std::ceil(-std::log10(value) - 1e-9)) : 0;
    return fixed(value, decimals);
  }

  std::string html;

 private:
  Language language_;
};

// Coordinates and sizes inside SVG and style attributes: C locale, never shown to people.
std::string svg_number(double value) {
  if (!std::isfinite(value)) return "0";
  char text[48];
  std::snprintf(text, sizeof text, "%.2f", value);
  std::string plain = text;  // 12.50 -> 12.5, 720.00 -> 720
  while (plain.back() == '0') plain.pop_back();
  if (plain.back() == '.') plain.pop_back();
  return plain == "-0" ? "0" : plain;
}

// A categorical column's label for `value` (an index into its categories).
std::string category_of(const v1::IndicatorColumn& column, double value) {
  if (!std::isfinite(value) || value < 0 || value >= column.categories_size()) return "–";
  return column.categories(static_cast<int>(value));
}

// A table's value as text: a categorical column's label, else the number by the
// column's kind.
std::string cell_text(const v1::IndicatorColumn& column, double value, const Page& page) {
  return column.categories_size() > 0 ? explore::category_words(category_of(column, value), page.language())
                                      : format_value(column, value, page.language());
}

std::optional<int> column_index(const v1::IndicatorTable& table, std::string_view id) {
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c).id() == id) return c;
  }
  return std::nullopt;
}

const v1::IndicatorRow* row_of(const v1::IndicatorTable& table, std::string_view region_id) {
  for (const auto& row : table.rows()) {
    if (row.region_id() == region_id) return &row;
  }
  for (const auto& row : table.summary_rows()) {
    if (row.region_id() == region_id) return &row;
  }
  return nullptr;
}

// A cell by column id; NaN when the table lacks the column or the region.
double value_of(const v1::IndicatorTable& table, std::string_view region_id, std::string_view column_id) {
  const auto c = column_index(table, column_id);
  const auto* row = row_of(table, region_id);
  if (!c || row == nullptr || *c >= row->values_size()) return std::nan("");
  return row->values(*c);
}

std::string text_of(const v1::IndicatorTable& table, std::string_view region_id, std::string_view column_id) {
  const auto c = column_index(table, column_id);
  if (!c) return "–";
  return category_of(table.columns(*c), value_of(table, region_id, column_id));
}

std::string dimension_label(v1::LegitimacyDimension dimension, const Page& page) {
  const bool nl = page.language() == Language::kDutch;
  switch (dimension) {
    case v1::LEGITIMACY_DIMENSION_FUNDAMENTAL: return nl ? "Fundamenteel" : "Fundamental";
    case v1::LEGITIMACY_DIMENSION_INPUT: return "Input";
    case v1::LEGITIMACY_DIMENSION_THROUGHPUT: return "Throughput";
    case v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS: return nl ? "Output (eigen ambities)" : "Output (own ambitions)";
    case v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS: return nl ? "Output (buurregio's)" : "Output (neighbours)";
    default: return "?";
  }
}

// A plugin's text as the page shows it: without references to the project's documents
// ("(DOMAIN.md §3)"), which a reader of the page does not have.
std::string for_readers(const std::string& text) {
  static const std::regex reference(R"(\s*\((see\s+)?[A-Za-z_/-]+\.md(\s*§\s*[0-9.]+)?\)|(see\s+)?[A-Za-z_/-]+\.md(\s*§\s*[0-9.]*[0-9])?)");
  if (text.find(".md") == std::string::npos) return text;
  return std::regex_replace(text, reference, "");
}

// A column a plugin writes once per language ("reading_nl", "reading_en"): the page
// shows the one in its own language only.
bool in_other_language(const v1::IndicatorColumn& column, const Page& page) {
  const std::string& id = column.id();
  const std::string other = page.language() == Language::kDutch ? "_en" : "_nl";
  return id.size() > other.size() && id.compare(id.size() - other.size(), other.size(), other) == 0;
}

// A table's name for people: the page's word for the tables it knows, else the
// table's machine name, marked as code.
std::string table_title(const Page& page, const std::string& name) {
  const std::string key = "table_" + name;
  if (dictionary().count(key) > 0) return map::escape_xml(page.word(key));
  return "<code>" + map::escape_xml(name) + "</code>";
}

// Inline SVG documents come with an XML declaration that is not allowed inside HTML.
std::string_view without_xml_declaration(std::string_view svg) {
  if (svg.substr(0, 5) == "<?xml") {
    const auto end = svg.find("?>");
    if (end != std::string_view::npos) svg.remove_prefix(end + 2);
  }
  while (!svg.empty() && (svg.front() == '\n' || svg.front() == '\r' || svg.front() == ' ')) svg.remove_prefix(1);
  return svg;
}

constexpr std::string_view kStyle = R"(
body{font-family:sans-serif;margin:0;color:#1d2733;background:#f6f7f9;line-height:1.4}
header{background:#15436b;color:#fff;padding:1.2em 2em}
header h1{margin:0 0 .2em 0;font-size:1.6em}
header p{margin:.1em 0;font-size:.9em;opacity:.9}
nav{padding:.6em 2em;background:#e4e9ef;font-size:.9em}
nav a{margin-right:1.2em;color:#15436b;display:inline-block}
main{padding:0 2em 2em 2em}
section{margin-top:1.6em}
h2{border-bottom:2px solid #15436b;padding-bottom:.2em}
figure.map{display:inline-block;vertical-align:top;margin:0 1em 1em 0;background:#fff;border:1px solid #ccd;padding:.5em;max-width:46%}
figure.map svg{width:100%;height:auto}
figcaption{font-weight:bold;margin-bottom:.3em}
.cards{display:flex;flex-wrap:wrap;gap:1em}
.region-card{background:#fff;border:1px solid #ccd;border-radius:6px;padding:.8em 1em;width:30em;max-width:100%;min-width:0;box-sizing:border-box;overflow-wrap:break-word}
.region-card h3{margin:.1em 0 .4em 0;color:#15436b}
.members{font-size:.85em;color:#44505c}
table{border-collapse:collapse;font-size:.85em;margin:.3em 0}
th,td{border-bottom:1px solid #dde;padding:.15em .5em;text-align:left;vertical-align:top}
td{overflow-wrap:break-word}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}
.table-wrap{overflow-x:auto;max-width:100%}
.region-card table{width:100%}
table.values{table-layout:fixed}
table.values td:first-child{width:62%}
table.values td.num{white-space:normal;overflow-wrap:break-word}
.unit{white-space:normal}
section>table{display:block;overflow-x:auto;max-width:100%}
code{font-size:.9em;background:#eef1f4;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
.unit{color:#6b7785;font-size:.9em}
.key-figures h4{margin:.4em 0 .2em 0}
.key-figures ul{margin:.2em 0 .4em 0;padding-left:1.1em;font-size:.9em}
.key-figures li{margin:.15em 0}
td.not-run{color:#9a3b00}
.small-multiples{display:flex;flex-wrap:wrap;gap:1em}
figure.spread{margin:0;background:#fff;border:1px solid #ccd;padding:.5em;width:30em;max-width:100%}
figure.spread svg{width:100%;height:auto}
.stage{display:inline-block;padding:.1em .6em;border-radius:1em;background:#15436b;color:#fff;font-size:.85em}
.bar{display:inline-block;height:.6em;background:#5a8fc2;vertical-align:middle}
details{margin:.3em 0}
summary{cursor:pointer;font-weight:bold;font-size:.9em}
.muted{color:#6b7785;font-size:.85em}
.warning{color:#8a4b00}
table.highlights caption,table.biotope caption{text-align:left;font-weight:bold;padding:.3em 0}
table.highlights td:first-child{color:#44505c;white-space:nowrap}
figure.chart{background:#fff;border:1px solid #ccd;padding:.5em;max-width:760px;margin:0 0 1em 0;box-sizing:border-box}
figure.chart svg{width:100%;height:auto}
@media (max-width:640px){
header,nav,main{padding-left:.8em;padding-right:.8em}
figure.map{display:block;max-width:100%;margin-right:0}
.region-card{width:100%}
}
table.plateaus tr.selected td{font-weight:bold}
)";

// ---------------------------------------------------------------- run lookups

struct RunView {
  const v1::RunResult* run;
  std::vector<const v1::StepResult*> succeeded;
};

// The first table called `name` computed for `partition`.
const v1::IndicatorTable* table_for(const RunView& view, const v1::Partition& partition, std::string_view name) {
  for (const auto* step : view.succeeded) {
    for (const auto& table : step->artifacts().tables()) {
      if (table.name() == name && table.partition_name() == partition.name()) return &table;
    }
  }
  return nullptr;
}

Expected<const v1::Partition*> chosen_partition(const RunView& view, const ReportOptions& options) {
  const v1::Partition* first = nullptr;
  for (const auto* step : view.succeeded) {
    for (const auto& partition : step->artifacts().partitions()) {
      if (!options.partition_step.empty()) {
        if (step->step_id() == options.partition_step) return &partition;
        continue;
      }
      if (first == nullptr) first = &partition;
      // Prefer a clustering's result (a BRE map) over a region definition read from the data.
      const auto* manifest = explore::step_manifest(*view.run, step->step_id());
      if (manifest != nullptr && manifest->plugin().rfind("clustering.", 0) == 0) return &partition;
    }
  }
  if (!options.partition_step.empty()) {
    return invalid_argument("partition step '" + options.partition_step +
                            "': no step of that id produced a partition in this run");
  }
  if (first == nullptr) return invalid_argument("the run has no partition to report on");
  return first;
}

// ---------------------------------------------------------------- sections

void header(Page& page, const v1::RunResult& run) {
  const auto& m = run.manifest();
  page.html += "<header><h1>" + map::escape_xml(page.word("title")) + "</h1><p>" + map::escape_xml(page.word("subtitle")) + " · " +
               map::escape_xml(m.pipeline().name()) + "</p><p>" + map::escape_xml(page.word("dataset")) + ": " +
               map::escape_xml(m.dataset_name()) + " (SHA-256 " + map::escape_xml(m.dataset_sha256().substr(0, 12)) + "…) · " +
               map::escape_xml(page.word("seed")) + " " + std::to_string(m.seed()) + " · " + map::escape_xml(page.word("version")) +
               " " + map::escape_xml(m.bre_version()) + "</p></header>\n";
}

void navigation(Page& page, const std::vector<std::pair<std::string, std::string>>& sections) {
  page.html += "<nav aria-label=\"" + map::escape_xml(page.word("contents")) + "\">";
  for (const auto& [id, title] : sections) page.html += "<a href=\"#" + id + "\">" + map::escape_xml(title) + "</a>";
  page.html += "</nav>\n";
}

void maps(Page& page, const RunView& view, const v1::Partition& partition, const explore::Sources& sources) {
  // The regional zooms of the network are shown in their region's card, not here.
  std::set<std::string> zooms;
  for (const auto& region : partition.regions()) zooms.insert(map::regional_network_document_name(region.id()));
  page.html += "<section id=\"maps\"><h2>" + map::escape_xml(page.word("maps")) + "</h2>\n";
  for (const auto* step : view.succeeded) {
    for (const auto& document : step->artifacts().documents()) {
      if (document.media_type() != "image/svg+xml" || zooms.count(document.name()) > 0) continue;
      page.html += "<figure class=\"map\" data-step=\"" + map::escape_xml(step->step_id()) + "\"" +
                   explore::map_figure_attributes(sources, step->step_id()) + "><figcaption>" +
                   map::escape_xml(document.title().empty() ? document.name() : document.title()) + "</figcaption>\n";
      page.html += for_readers(std::string(without_xml_declaration(document.content())));
      page.html += "\n</figure>\n";
    }
  }
  page.html += "</section>\n";
}

void legitimacy_rows(Page& page, const RunView& view, const v1::Partition& partition, const std::string& region_id) {
  std::string rows;
  for (const auto* step : view.succeeded) {
    for (const auto& result : step->artifacts().legitimacy()) {
      if (result.partition_name() != partition.name()) continue;
      for (const auto& r : result.regions()) {
        if (r.region_id() != region_id) continue;
        const double width = std::isfinite(r.mean()) ? std::clamp(r.mean(), 0.0, 100.0) : 0.0;
        rows += "<tr><td>" + map::escape_xml(dimension_label(r.dimension(), page)) + "</td><td class=\"num\">" +
                page.decimal(r.mean()) + "</td><td><span class=\"bar\" style=\"width:" + svg_number(width * 0.8) +
                "px\"></span></td><td class=\"num\">" + page.decimal(r.ci_low()) + "–" + page.decimal(r.ci_high()) +
                "</td><td class=\"num\">n=" + page.count(r.n()) + "</td></tr>";
      }
    }
  }
  if (rows.empty()) return;
  page.html += "<h4>" + map::escape_xml(page.word("legitimacy")) + "</h4><div class=\"table-wrap\"><table class=\"legitimacy\"><tr><th>" +
               map::escape_xml(page.word("dimension")) + "</th><th>" + map::escape_xml(page.word("mean")) + "</th><th></th><th>" +
               map::escape_xml(page.word("interval")) + "</th><th>n</th></tr>" + rows + "</table></div><p class=\"muted\">" +
               map::escape_xml(page.word("legitimacy_note")) + "</p>";
}

void lifecycle_block(Page& page, const RunView& view, const std::string& region_id) {
  for (const auto* step : view.succeeded) {
    for (const auto& result : step->artifacts().lifecycle()) {
      for (const auto& a : result.assessments()) {
        if (a.partition_region_id() != region_id) continue;
        page.html += "<div class=\"lifecycle\"><h4>" + map::escape_xml(page.word("lifecycle")) + ": " +
                     map::escape_xml(a.region_name()) + "</h4><p><span class=\"stage\">" +
                     map::escape_xml(page.pick(a.stage_label_nl(), a.stage_label_en())) + "</span> <span class=\"muted\">" +
                     map::escape_xml(page.word("confidence")) + " " + page.percent(a.confidence()) + "</span></p>";
        if (a.evidence_size() > 0) {
          page.html += "<details><summary>" + map::escape_xml(page.word("evidence")) + "</summary><ul>";
          for (const auto& e : a.evidence()) {
            page.html += "<li>" + map::escape_xml(page.pick(e.text_nl(), e.text_en())) + " <span class=\"muted\">(<code>" +
                         map::escape_xml(e.descriptor_field()) + " = " + map::escape_xml(e.value()) + "</code>; " +
                         map::escape_xml(page.word(e.supports() ? "supports" : "against")) + ")</span></li>";
          }
          page.html += "</ul></details>";
        }
        if (a.directions_size() > 0) {
          page.html += "<details><summary>" + map::escape_xml(page.word("directions")) + "</summary><ul>";
          for (const auto& d : a.directions()) {
            page.html += "<li>" + map::escape_xml(page.pick(d.label_nl(), d.label_en()));
            if (d.signals_size() > 0) {
              std::string signals;
              for (const auto& s : d.signals()) signals += (signals.empty() ? "" : ", ") + s;
              page.html += " <span class=\"muted\">(<code>" + map::escape_xml(signals) + "</code>)</span>";
            }
            page.html += "</li>";
          }
          page.html += "</ul></details>";
        }
        if (a.recommendations_size() > 0) {
          page.html += "<details><summary>" + map::escape_xml(page.word("recommendations")) + "</summary><ul>";
          for (const auto& r : a.recommendations()) page.html += "<li>" + map::escape_xml(page.pick(r.text_nl(), r.text_en())) + "</li>";
          page.html += "</ul></details>";
        }
        if (a.missing_descriptors_size() > 0) {
          std::string missing;
          for (const auto& d : a.missing_descriptors()) missing += (missing.empty() ? "" : ", ") + d;
          page.html += "<p class=\"muted\">" + map::escape_xml(page.word("missing")) + ": <code>" + map::escape_xml(missing) +
                       "</code></p>";
        }
        page.html += "</div>";
      }
    }
  }
}

// The row of every indicator table computed for this partition, one folded block per table.
void indicator_rows(Page& page, const RunView& view, const v1::Partition& partition, const std::string& region_id) {
  page.html += "<details class=\"all-indicators\"><summary>" + map::escape_xml(page.word("all_tables")) + "</summary>";
  for (const auto* step : view.succeeded) {
    for (const auto& table : step->artifacts().tables()) {
      if (table.partition_name() != partition.name()) continue;
      for (const auto& row : table.rows()) {
        if (row.region_id() != region_id) continue;
        page.html += "<details class=\"indicators\" data-table=\"" + map::escape_xml(table.name()) + "\"><summary>" +
                     table_title(page, table.name()) + "</summary><div class=\"table-wrap\"><table class=\"values\">";
        for (int c = 0; c < table.columns_size() && c < row.values_size(); ++c) {
          const auto& column = table.columns(c);
          if (in_other_language(column, page)) continue;
          page.html += "<tr><td title=\"" + map::escape_xml(for_readers(column.doc())) + "\">" +
                       map::escape_xml(column.label().empty() ? column.id() : column.label()) + "</td><td class=\"num\">" +
                       map::escape_xml(cell_text(column, row.values(c), page)) +
                       (column.unit().empty() || column.categories_size() > 0 || value_kind(column) != v1::VALUE_KIND_MEASURE ||
                                value_kind_for_unit(column.unit()) != v1::VALUE_KIND_MEASURE
                            ? ""
                            : " <span class=\"unit\">" + map::escape_xml(column.unit()) + "</span>") +
                       "</td></tr>";
        }
        page.html += "</table></div></details>";
      }
    }
  }
  page.html += "</details>";
}

// The figures a reader looks for first, each with one line in plain words: where the
// region nests, organisation (C1, C2, FI, arrangements), commuting (self-containment
// and the DUS label), broad well-being and the quadrant's reading; then the biotope
// indicators where the region departs most from the country, with their spread.
void highlights(Page& page, const RunView& view, const v1::Partition& partition, const std::string& region_id,
                int members) {
  std::string items;
  auto item = [&](const std::string& figure, const std::string& explanation) {
    items += "<li><strong>" + map::escape_xml(figure) + "</strong>" +
             (explanation.empty() ? "" : ": " + map::escape_xml(explanation)) + "</li>";
  };
  // The label a categorical cell has, as the page's own word (by category index), so
  // the card reads in the run's language whatever words the plugin used.
  auto category_word = [&](const v1::IndicatorTable& table, std::string_view column,
                           std::initializer_list<const char*> keys) -> std::optional<std::string> {
    const double value = value_of(table, region_id, column);
    if (!std::isfinite(value) || value < 0 || value >= static_cast<double>(keys.size())) return std::nullopt;
    return page.word(*(keys.begin() + static_cast<std::size_t>(value)));
  };
  if (const auto* t = table_for(view, partition, "nesting")) {
    item(page.word("part_of") + " " + text_of(*t, region_id, "coarser_region"), "");
  }
  if (const auto* t = table_for(view, partition, "congruence")) {
    const double c1 = value_of(*t, region_id, "congruence_c1");
    const double c2 = value_of(*t, region_id, "congruence_c2");
    const double fi = value_of(*t, region_id, "functional_integrality");
    const double arrangements = value_of(*t, region_id, "n_arrangements");
    if (std::isfinite(arrangements)) {
      item(page.fill("kf_arrangements_figure", {page.count(arrangements)}), page.word("kf_arrangements"));
    }
    if (std::isfinite(c1)) item("C1 " + page.decimal(c1), page.fill("kf_c1", {page.percent(c1)}));
    if (std::isfinite(c2)) {
      item("C2 " + page.decimal(c2),
           page.fill("kf_c2", {page.percent(c2), page.count(arrangements), page.count(members)}));
    }
    if (std::isfinite(fi)) item("FI " + page.decimal(fi), page.fill("kf_fi", {page.percent(fi)}));
  }
  if (const auto* t = table_for(view, partition, "dus")) {
    const double self = value_of(*t, region_id, "self_containment");
    if (std::isfinite(self)) {
      item(page.word("self_containment") + " " + page.percent(self), page.fill("kf_self_containment", {page.percent(self)}));
    }
    constexpr const char* kLabels[] = {"dus_subregional", "dus_regional", "dus_interregional"};
    const double label = value_of(*t, region_id, "label");
    if (std::isfinite(label) && label >= 0 && label < std::size(kLabels)) {
      const std::string key = kLabels[static_cast<std::size_t>(label)];
      item(page.word("dus") + ": " + page.word(key), page.word("kf_" + key));
    }
  }
  if (const auto* t = table_for(view, partition, "broad_wellbeing")) {
    const double level = value_of(*t, region_id, "level");
    const double trend = value_of(*t, region_id, "trend");
    if (std::isfinite(level)) {
      const auto position = category_word(*t, "position", {"position_low", "position_high"});
      item(page.word("broad_wellbeing") + " " + page.decimal(level) + (position ? " (" + *position + ")" : ""),
           page.word("kf_level"));
    }
    if (std::isfinite(trend)) {
      const auto trend_class = category_word(*t, "trend_class", {"trend_negative", "trend_average", "trend_positive"});
      item(page.word("bw_trend") + " " + page.decimal(trend) + (trend_class ? " (" + *trend_class + ")" : ""),
           page.word("kf_trend"));
    }
  }
  if (const auto* t = table_for(view, partition, "quadrant")) {
    // One reading column in the run's language, or one per language (older runs).
    std::string reading = text_of(*t, region_id, "reading");
    if (reading == "–") reading = text_of(*t, region_id, page.language() == Language::kDutch ? "reading_nl" : "reading_en");
    if (reading != "–") item(page.word("quadrant_short"), reading);
  }
  if (!items.empty()) {
    page.html += "<div class=\"key-figures\"><h4>" + map::escape_xml(page.word("highlights")) + "</h4><ul>" + items +
                 "</ul></div>";
  }
  const auto* biotope = table_for(view, partition, "biotope");
  if (biotope == nullptr) return;
  // Indicators ranked by |region mean / national mean - 1|; three shown.
  struct Departure {
    double size;
    std::string id;
    std::string label;
  };
  std::vector<Departure> departures;
  for (const auto& column : biotope->columns()) {
    const std::string& id = column.id();
    if (id.size() < 6 || id.compare(id.size() - 5, 5, "_mean") != 0) continue;
    const double region = value_of(*biotope, region_id, id);
    const double national = value_of(*biotope, "NL", id);
    if (!std::isfinite(region) || !std::isfinite(national) || national == 0.0) continue;
    std::string label = column.label();
    // "House price: mean": the indicator's name before the statistic, in whichever language.
    if (const auto colon = label.rfind(": "); colon != std::string::npos) label.resize(colon);
    departures.push_back({std::abs(region / national - 1.0), id.substr(0, id.size() - 5), label});
  }
  std::stable_sort(departures.begin(), departures.end(),
                   [](const Departure& a, const Departure& b) { return a.size > b.size; });
  if (departures.size() > 3) departures.resize(3);
  if (departures.empty()) return;
  page.html += "<table class=\"biotope\"><caption>" + map::escape_xml(page.word("biotope")) + "</caption><tr><th></th><th>" +
               map::escape_xml(page.word("region_value")) + "</th><th>" + map::escape_xml(page.word("national")) + "</th><th>" +
               map::escape_xml(page.word("spread")) + "</th></tr>";
  for (const auto& d : departures) {
    page.html += "<tr><td>" + map::escape_xml(d.label) + "</td><td class=\"num\">" +
                 page.decimal(value_of(*biotope, region_id, d.id + "_mean")) + "</td><td class=\"num\">" +
                 page.decimal(value_of(*biotope, "NL", d.id + "_mean")) + "</td><td class=\"num\">" +
                 page.percent(value_of(*biotope, region_id, d.id + "_cv")) + "</td></tr>";
  }
  page.html += "</table>";
}

// Small multiples of the biotope: per indicator one panel, per region a strip of its
// municipalities' values with the region mean, so that differences inside a region can
// be seen next to differences between regions (DOMAIN.md §4).
void biotope_spread_chart(Page& page, const RunView& view, const v1::Partition& partition, const DatasetIndex& index) {
  const auto* spread = table_for(view, partition, "biotope_spread");
  const auto* biotope = table_for(view, partition, "biotope");
  if (spread == nullptr || biotope == nullptr || partition.regions_size() == 0) return;
  constexpr std::size_t kPanels = 6;
  std::vector<std::pair<double, const v1::IndicatorRow*>> ranked;
  for (const auto& row : spread->rows()) {
    const double share = value_of(*spread, row.region_id(), "between_share");
    if (std::isfinite(share)) ranked.emplace_back(share, &row);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (ranked.size() > kPanels) ranked.resize(kPanels);
  if (ranked.empty()) return;
  const v1::Dataset& d = index.dataset();
  std::string panels;
  for (const auto& [share, row] : ranked) {
    const std::string& id = row->region_id();
    // The municipalities' values of the latest year, as the biotope takes them by default.
    int year = std::numeric_limits<int>::min();
    for (const auto& v : d.indicator_values()) {
      if (v.indicator_id() == id) year = std::max(year, v.year());
    }
    std::map<std::string, double> value_of_code;
    for (const auto& v : d.indicator_values()) {
      if (v.indicator_id() == id && v.year() == year) value_of_code[v.municipality_code()] = v.value();
    }
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto& [code, value] : value_of_code) low = std::min(low, value), high = std::max(high, value);
    if (!(high > low)) continue;
    std::string unit;
    for (const auto& a : d.area_indicators()) {
      if (a.id() == id) unit = a.unit();
    }
    const double row_h = 13, left = 150, width = 440, top = 8, plot_w = width - left - 12;
    const double height = top + row_h * partition.regions_size() + 28;
    auto x_of = [&](double v) { return left + (v - low) / (high - low) * plot_w; };
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spread-chart\" data-indicator=\"" +
                      map::escape_xml(id) + "\" viewBox=\"0 0 " + svg_number(width) + " " + svg_number(height) +
                      "\" font-family=\"sans-serif\" font-size=\"9\">";
    const double national = value_of(*spread, id, "national_mean");
    if (std::isfinite(national)) {
      svg += "<line x1=\"" + svg_number(x_of(national)) + "\" x2=\"" + svg_number(x_of(national)) + "\" y1=\"" + svg_number(top) +
             "\" y2=\"" + svg_number(height - 24) + "\" stroke=\"#15436b\" stroke-dasharray=\"4 3\"/>";
    }
    for (int r = 0; r < partition.regions_size(); ++r) {
      const v1::Region& region = partition.regions(r);
      const double y = top + row_h * (r + 0.5);
      double region_low = std::numeric_limits<double>::infinity(), region_high = -region_low;
      std::string dots;
      for (const auto& code : region.municipality_codes()) {
        const auto it = value_of_code.find(code);
        if (it == value_of_code.end()) continue;
        region_low = std::min(region_low, it->second);
        region_high = std::max(region_high, it->second);
        dots += "<circle cx=\"" + svg_number(x_of(it->second)) + "\" cy=\"" + svg_number(y) + "\" r=\"2\"/>";
      }
      svg += "<text x=\"" + svg_number(left - 4) + "\" y=\"" + svg_number(y + 3) + "\" text-anchor=\"end\">" +
             map::escape_xml(region.name().empty() ? region.id() : region.name()) + "</text>";
      if (std::isfinite(region_low)) {
        svg += "<line x1=\"" + svg_number(x_of(region_low)) + "\" x2=\"" + svg_number(x_of(region_high)) + "\" y1=\"" +
               svg_number(y) + "\" y2=\"" + svg_number(y) + "\" stroke=\"#b9c6d3\"/>";
      }
      svg += "<g fill=\"#5a8fc2\" fill-opacity=\".7\">" + dots + "</g>";
      const double mean = value_of(*biotope, region.id(), id + "_mean");
      if (std::isfinite(mean)) {
        svg += "<rect x=\"" + svg_number(x_of(mean) - 1) + "\" y=\"" + svg_number(y - 5) +
               "\" width=\"2\" height=\"10\" fill=\"#15436b\"/>";
      }
    }
    for (const double tick : {low, high}) {
      svg += "<text x=\"" + svg_number(x_of(tick)) + "\" y=\"" + svg_number(height - 12) + "\" text-anchor=\"" +
             (tick == low ? "start" : "end") + "\">" + page.decimal(tick) + "</text>";
    }
    svg += "</svg>";
    panels += "<figure class=\"chart spread\"><figcaption>" + map::escape_xml(row->region_name()) +
              (unit.empty() ? "" : " (" + map::escape_xml(unit) + ")") + "<br><span class=\"muted\">" +
              map::escape_xml(page.word("between_share")) + ": " + page.percent(share) + " " +
              map::escape_xml(page.word("of_variance")) + "</span></figcaption>" + svg + "</figure>";
  }
  if (panels.empty()) return;
  page.html += "<section id=\"biotope-spread\"><h2>" + map::escape_xml(page.word("biotope_spread")) +
               "</h2><p class=\"muted\">" + map::escape_xml(page.word("biotope_spread_intro")) +
               "</p><div class=\"small-multiples\">" + panels + "</div></section>\n";
}

// Investment (columns: no, yes, unknown) against broad-well-being level, one labelled
// dot per region with an arrow for its trend; the national median as a line.
void quadrant_chart(Page& page, const RunView& view, const v1::Partition& partition) {
  const auto* quadrant = table_for(view, partition, "quadrant");
  if (quadrant == nullptr || quadrant->rows_size() == 0) return;
  const auto* wellbeing = table_for(view, partition, "broad_wellbeing");
  const double median = wellbeing != nullptr ? value_of(*wellbeing, "NL_median", "level") : 0.0;
  double low = std::isfinite(median) ? median : 0.0, high = low;
  for (const auto& row : quadrant->rows()) {
    const double level = value_of(*quadrant, row.region_id(), "level");
    const double trend = value_of(*quadrant, row.region_id(), "trend");
    if (!std::isfinite(level)) continue;
    low = std::min({low, level, level + (std::isfinite(trend) ? trend * 4 : 0.0)});
    high = std::max({high, level, level + (std::isfinite(trend) ? trend * 4 : 0.0)});
  }
  const double margin = std::max(0.1, (high - low) * 0.12);
  low -= margin;
  high += margin;
  const double width = 720, height = 420, left = 60, top = 20, plot_h = height - 70;
  const double column_w = (width - left - 10) / 3.0;
  auto y_of = [&](double v) { return top + (high - v) / (high - low) * plot_h; };
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"quadrant-chart\" viewBox=\"0 0 " +
                    svg_number(width) + " " + svg_number(height) + "\" font-family=\"sans-serif\" font-size=\"11\">";
  const char* columns[] = {"not_investing", "investing", "unknown"};
  for (int c = 0; c < 3; ++c) {
    const double x = left + c * column_w;
    svg += "<rect x=\"" + svg_number(x + 2) + "\" y=\"" + svg_number(top) + "\" width=\"" + svg_number(column_w - 4) +
           "\" height=\"" + svg_number(plot_h) + "\" fill=\"" + (c == 2 ? "#f1f1f1" : "#eef3f8") + "\"/>";
    svg += "<text x=\"" + svg_number(x + column_w / 2) + "\" y=\"" + svg_number(top + plot_h + 18) +
           "\" text-anchor=\"middle\" font-weight=\"bold\">" + map::escape_xml(page.word(columns[c])) + "</text>";
  }
  if (std::isfinite(median)) {
    svg += "<line x1=\"" + svg_number(left) + "\" x2=\"" + svg_number(width - 10) + "\" y1=\"" + svg_number(y_of(median)) +
           "\" y2=\"" + svg_number(y_of(median)) + "\" stroke=\"#15436b\" stroke-dasharray=\"5 3\"/>";
  }
  // Level ticks: bottom, median and top of the plotted range.
  for (const double tick : {low, std::isfinite(median) ? median : (low + high) / 2, high}) {
    svg += "<text x=\"" + svg_number(left - 4) + "\" y=\"" + svg_number(y_of(tick) + 4) + "\" text-anchor=\"end\">" +
           page.decimal(tick) + "</text>";
  }
  svg += "<text x=\"14\" y=\"" + svg_number(top + plot_h / 2) + "\" transform=\"rotate(-90 14 " +
         svg_number(top + plot_h / 2) + ")\" text-anchor=\"middle\">" + map::escape_xml(page.word("broad_wellbeing")) + " (" +
         map::escape_xml(page.word("level")) + ")</text>";
  // Regions in one column are spread sideways in table order so labels stay apart.
  int placed[3] = {0, 0, 0};
  int total[3] = {0, 0, 0};
  for (const auto& row : quadrant->rows()) {
    const double investing = value_of(*quadrant, row.region_id(), "investing");
    ++total[std::isfinite(investing) && investing >= 0 && investing <= 2 ? static_cast<int>(investing) : 2];
  }
  for (const auto& row : quadrant->rows()) {
    const double level = value_of(*quadrant, row.region_id(), "level");
    if (!std::isfinite(level)) continue;
    const double investing = value_of(*quadrant, row.region_id(), "investing");
    const int c = std::isfinite(investing) && investing >= 0 && investing <= 2 ? static_cast<int>(investing) : 2;
    const double x = left + c * column_w + column_w * (placed[c] + 1) / (total[c] + 1);
    ++placed[c];
    const double y = y_of(level);
    const double trend = value_of(*quadrant, row.region_id(), "trend");
    if (std::isfinite(trend) && trend != 0.0) {
      svg += "<line x1=\"" + svg_number(x) + "\" y1=\"" + svg_number(y) + "\" x2=\"" + svg_number(x) + "\" y2=\"" +
             svg_number(y_of(level + trend * 4)) + "\" stroke=\"" + (trend > 0 ? "#2a7a3b" : "#b03a2e") +
             "\" stroke-width=\"2\"/>";
    }
    // Labels in the right half of a column run leftwards so none leaves the chart.
    const bool leftwards = x > left + c * column_w + column_w / 2;
    svg += "<circle cx=\"" + svg_number(x) + "\" cy=\"" + svg_number(y) + "\" r=\"5\" fill=\"#15436b\" data-region=\"" +
           map::escape_xml(row.region_id()) + "\"/><text x=\"" + svg_number(leftwards ? x - 7 : x + 7) + "\" y=\"" +
           svg_number(y + 4) + "\"" + (leftwards ? " text-anchor=\"end\"" : "") + ">" +
           map::escape_xml(row.region_name().empty() ? row.region_id() : row.region_name()) + "</text>";
  }
  svg += "</svg>";
  page.html += "<section id=\"quadrant\"><h2>" + map::escape_xml(page.word("quadrant")) + "</h2><p class=\"muted\">" +
               map::escape_xml(page.word("quadrant_intro")) + "</p><figure class=\"chart\">" + svg + "</figure></section>\n";
}

// The tables of a multiscale step that the scale section reads: scale_profile and
// scale_plateaus, the selected plateau and the coarser level.
struct ScaleTables {
  const v1::IndicatorTable* profile = nullptr;
  const v1::IndicatorTable* plateaus = nullptr;
  int status_column = -1;
  const v1::IndicatorRow* selected = nullptr;
  const v1::IndicatorRow* coarser = nullptr;
  int stable = 0;

  bool is_stable(const v1::IndicatorRow& row) const {
    return category_of(plateaus->columns(status_column), row.values(status_column)) == "stable";
  }
  double value(const v1::IndicatorRow* row, std::string_view column) const {
    return row == nullptr ? std::nan("") : value_of(*plateaus, row->region_id(), column);
  }
};

std::optional<ScaleTables> scale_tables(const RunView& view, const v1::Partition& partition) {
  ScaleTables scale;
  scale.profile = table_for(view, partition, "scale_profile");
  scale.plateaus = table_for(view, partition, "scale_plateaus");
  if (scale.profile == nullptr || scale.plateaus == nullptr || scale.profile->rows_size() < 2) return std::nullopt;
  const auto level_column = column_index(*scale.plateaus, "level");
  const auto status_column = column_index(*scale.plateaus, "status");
  if (!level_column || !status_column) return std::nullopt;
  scale.status_column = *status_column;
  for (const auto& row : scale.plateaus->rows()) {
    scale.stable += scale.is_stable(row) ? 1 : 0;
    if (row.values(*level_column) == 0.0) scale.selected = &row;
    if (row.values(*level_column) == 1.0) scale.coarser = &row;
  }
  return scale;
}

// Regions and seed agreement against resolution on a log axis, the stable plateaus
// shaded, the selected one and the coarser level named.
std::string scale_chart(const Page& page, const ScaleTables& scale) {
  const double low = value_of(*scale.profile, scale.profile->rows(0).region_id(), "resolution");
  const double high = value_of(*scale.profile, scale.profile->rows(scale.profile->rows_size() - 1).region_id(), "resolution");
  double most_regions = 2;
  for (const auto& row : scale.profile->rows()) most_regions = std::max(most_regions, value_of(*scale.profile, row.region_id(), "regions"));
  const double width = 720, height = 300, left = 56, right = 56, top = 28, plot_h = height - 78;
  const double plot_w = width - left - right;
  auto x_of = [&](double r) { return left + std::log(r / low) / std::log(high / low) * plot_w; };
  auto y_regions = [&](double n) { return top + plot_h - std::log(std::max(n, 1.0)) / std::log(most_regions) * plot_h; };
  auto y_share = [&](double a) { return top + plot_h - std::clamp(a, 0.0, 1.0) * plot_h; };
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"scale-chart\" viewBox=\"0 0 " + svg_number(width) +
                    " " + svg_number(height) + "\" font-family=\"sans-serif\" font-size=\"11\">";
  for (const auto& row : scale.plateaus->rows()) {
    if (!scale.is_stable(row)) continue;
    const double from = x_of(scale.value(&row, "resolution_from"));
    const double to = x_of(scale.value(&row, "resolution_to"));
    const bool chosen = &row == scale.selected;
    svg += "<rect class=\"plateau\" data-plateau=\"" + map::escape_xml(row.region_id()) + "\" x=\"" + svg_number(from) +
           "\" y=\"" + svg_number(top) + "\" width=\"" + svg_number(std::max(to - from, 1.0)) + "\" height=\"" +
           svg_number(plot_h) + "\" fill=\"" + (chosen ? "#9cc3ea" : &row == scale.coarser ? "#cfe0f1" : "#e8eff7") + "\"/>";
    if (chosen || &row == scale.coarser) {
      svg += "<text x=\"" + svg_number((from + to) / 2) + "\" y=\"" + svg_number(top - 6) +
             "\" text-anchor=\"middle\" font-weight=\"bold\">" +
             map::escape_xml(page.count(scale.value(&row, "regions")) + " " + page.word("regions_count") + " (" +
                             page.word(chosen ? "scale_selected" : "scale_coarser") + ")") +
             "</text>";
    }
  }
  svg += "<rect x=\"" + svg_number(left) + "\" y=\"" + svg_number(top) + "\" width=\"" + svg_number(plot_w) + "\" height=\"" +
         svg_number(plot_h) + "\" fill=\"none\" stroke=\"#8893a0\"/>";
  // Decade ticks on the resolution axis.
  for (double tick = std::pow(10.0, std::ceil(std::log10(low) - 1e-9)); tick <= high * (1 + 1e-9); tick *= 10) {
    svg += "<line x1=\"" + svg_number(x_of(tick)) + "\" x2=\"" + svg_number(x_of(tick)) + "\" y1=\"" + svg_number(top + plot_h) +
           "\" y2=\"" + svg_number(top + plot_h + 4) + "\" stroke=\"#44505c\"/><text x=\"" + svg_number(x_of(tick)) +
           "\" y=\"" + svg_number(top + plot_h + 16) + "\" text-anchor=\"middle\">" + page.tick(tick) + "</text>";
  }
  for (double n : {1.0, 10.0, 100.0, 1000.0}) {
    if (n > most_regions) break;
    svg += "<text x=\"" + svg_number(left - 4) + "\" y=\"" + svg_number(y_regions(n) + 4) + "\" text-anchor=\"end\">" +
           page.count(n) + "</text>";
  }
  for (double a : {0.0, 0.5, 1.0}) {
    svg += "<text x=\"" + svg_number(left + plot_w + 4) + "\" y=\"" + svg_number(y_share(a) + 4) + "\">" + page.tick(a) + "</text>";
  }
  std::string regions_line, agreement_line;
  for (const auto& row : scale.profile->rows()) {
    const double x = x_of(value_of(*scale.profile, row.region_id(), "resolution"));
    regions_line += (regions_line.empty() ? "" : " ") + svg_number(x) + "," +
                    svg_number(y_regions(value_of(*scale.profile, row.region_id(), "regions")));
    const double agreement = value_of(*scale.profile, row.region_id(), "seed_ari");
    if (std::isfinite(agreement)) agreement_line += (agreement_line.empty() ? "" : " ") + svg_number(x) + "," + svg_number(y_share(agreement));
  }
  svg += "<polyline class=\"regions\" points=\"" + regions_line + "\" fill=\"none\" stroke=\"#15436b\" stroke-width=\"2\"/>";
  svg += "<polyline class=\"agreement\" points=\"" + agreement_line +
         "\" fill=\"none\" stroke=\"#b0641f\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>";
  svg += "<text x=\"" + svg_number(left + plot_w / 2) + "\" y=\"" + svg_number(height - 22) + "\" text-anchor=\"middle\">" +
         map::escape_xml(page.word("scale_axis_resolution")) + "</text>";
  svg += "<text x=\"" + svg_number(left) + "\" y=\"" + svg_number(height - 6) + "\" fill=\"#15436b\">— " +
         map::escape_xml(page.word("scale_axis_regions")) + "</text><text x=\"" + svg_number(left + 220) + "\" y=\"" +
         svg_number(height - 6) + "\" fill=\"#b0641f\">- - " + map::escape_xml(page.word("scale_axis_agreement")) +
         "</text><text x=\"" + svg_number(left + 470) + "\" y=\"" + svg_number(height - 6) + "\" fill=\"#5a8fc2\">■ " +
         map::escape_xml(page.word("scale_stable")) + "</text></svg>";

  return svg;
}

// What a reader should take from the profile, in a few sentences from the numbers.
std::string scale_reading(const Page& page, const ScaleTables& scale, const v1::Partition& partition) {
  const bool dutch = page.language() == Language::kDutch;
  std::string text;
  if (scale.selected == nullptr) {
    text = dutch ? "Het resolutieprofiel laat geen stabiel plateau zien: er is geen schaal waarop de indeling over "
                   "naburige resoluties en seeds gelijk blijft. De regio's zijn de beste indeling bij resolutie " +
                       page.decimal(partition.resolution()) + " en weerspiegelen mogelijk geen schaal die de gegevens dragen."
                 : "The resolution profile shows no stable plateau: at no scale does the partition stay the same "
                   "across neighbouring resolutions and seeds. The regions are the best partition at resolution " +
                       page.decimal(partition.resolution()) + " and may not reflect a scale the data carry.";
  } else {
    const std::string n = page.count(scale.value(scale.selected, "regions"));
    const std::string range = page.decimal(scale.value(scale.selected, "resolution_from")) + "–" +
                              page.decimal(scale.value(scale.selected, "resolution_to"));
    const std::string decades = page.decimal(scale.value(scale.selected, "decades"));
    const std::string agreement = page.decimal(scale.value(scale.selected, "seed_ari"));
    text = dutch ? "De regio's zijn gekozen op de schaal die de gegevens laten zien. Tussen resolutie " + range +
                       " (" + decades + " decade) blijft de indeling in " + n +
                       " regio's dezelfde, en herhaalde clusteringen met andere seeds en algoritmen komen tot vrijwel "
                       "dezelfde indeling (overeenstemming " + agreement + " op een schaal tot 1). "
                 : "The regions were chosen at the scale the data show. Between resolution " + range + " (" +
                       decades + " decades) the partition into " + n +
                       " regions stays the same, and repeated clusterings with other seeds and algorithms reach "
                       "nearly the same partition (agreement " + agreement + " on a scale up to 1). ";
    const double rank = scale.value(scale.selected, "width_rank");
    const std::string count = page.count(scale.stable);
    if (rank == 1.0) {
      text += dutch ? "Van de " + count + " stabiele plateaus is dit het breedste." : "Of the " + count +
                                                                                     " stable plateaus this is the widest.";
    } else {
      text += dutch ? "Dit is plateau " + page.count(rank) + " naar breedte van de " + count + " stabiele plateaus, zoals gevraagd."
                    : "This is plateau " + page.count(rank) + " by width of the " + count + " stable plateaus, as asked.";
    }
    if (scale.coarser != nullptr) {
      text += dutch ? " Deze regio's vallen binnen de " + page.count(scale.value(scale.coarser, "regions")) +
                          " regio's van het grovere niveau; elk regioprofiel noemt het gebied waarvan de regio deel uitmaakt."
                    : " These regions nest in the " + page.count(scale.value(scale.coarser, "regions")) +
                          " regions of the coarser level; each region's profile names the one it is part of.";
    }
  }
  return text;
}

// The stable plateaus as a table, the selected one in bold.
std::string plateau_rows(const Page& page, const ScaleTables& scale) {
  std::string rows;
  for (const auto& row : scale.plateaus->rows()) {
    if (!scale.is_stable(row)) continue;
    rows += "<tr" + std::string(&row == scale.selected ? " class=\"selected\"" : "") + "><td>" +
            map::escape_xml(page.count(scale.value(&row, "regions"))) + "</td><td class=\"num\">" +
            page.decimal(scale.value(&row, "resolution_from")) + "–" + page.decimal(scale.value(&row, "resolution_to")) +
            "</td><td class=\"num\">" + page.decimal(scale.value(&row, "decades")) + "</td><td class=\"num\">" +
            page.decimal(scale.value(&row, "seed_ari")) + "</td><td class=\"num\">" + page.count(scale.value(&row, "width_rank")) +
            "</td><td>" +
            map::escape_xml(&row == scale.selected ? page.word("scale_selected") : &row == scale.coarser ? page.word("scale_coarser") : "") +
            "</td></tr>";
  }
  return rows;
}

// The scale profile of a multiscale step: the chart, the reading and the plateaus.
void scale_section(Page& page, const RunView& view, const v1::Partition& partition) {
  const std::optional<ScaleTables> scale = scale_tables(view, partition);
  if (!scale) return;
  const std::string rows = plateau_rows(page, *scale);
  page.html += "<section id=\"scale\"><h2>" + map::escape_xml(page.word("scale")) + "</h2><p>" +
               map::escape_xml(scale_reading(page, *scale, partition)) + "</p><figure class=\"chart\">" +
               scale_chart(page, *scale) + "</figure>";
  if (!rows.empty()) {
    page.html += "<table class=\"plateaus\"><caption>" + map::escape_xml(page.word("plateau_table")) + "</caption><tr><th>" +
                 map::escape_xml(page.word("regions_count")) + "</th><th>" + map::escape_xml(page.word("from_to")) +
                 "</th><th>" + map::escape_xml(page.word("width_decades")) + "</th><th>" +
                 map::escape_xml(page.word("scale_axis_agreement")) + "</th><th>" + map::escape_xml(page.word("rank")) +
                 "</th><th></th></tr>" + rows + "</table>";
  }
  page.html += "</section>\n";
}

// The region's zoom of the network map (network_<region id>.svg, made by report.network_map given this partition), inlined.
void region_network(Page& page, const RunView& view, const std::string& region_id) {
  const std::string name = map::regional_network_document_name(region_id);
  for (const auto* step : view.succeeded) {
    for (const auto& document : step->artifacts().documents()) {
      if (document.name() != name) continue;
      page.html += "<figure class=\"map region-network\">" + std::string(without_xml_declaration(document.content())) + "</figure>";
      return;
    }
  }
}

void region_cards(Page& page, const RunView& view, const v1::Partition& partition, const DatasetIndex& dataset) {
  page.html += "<section id=\"regions\"><h2>" + map::escape_xml(page.word("regions")) + " (" + map::escape_xml(partition.name()) +
               ", " + page.count(partition.regions_size()) + " " + map::escape_xml(page.word("regions_count")) +
               ")</h2><p class=\"muted\">" + map::escape_xml(page.fill("regions_intro", {partition.name()})) +
               "</p><div class=\"cards\">\n";
  for (const auto& region : partition.regions()) {
    // Open by default, so print and a page without script show everything; the script folds them.
    page.html += "<details class=\"region-card\" open id=\"region-" + map::escape_xml(region.id()) + "\" data-region=\"" +
                 map::escape_xml(region.id()) + "\"><summary><h3>" +
                 map::escape_xml(region.name().empty() ? region.id() : region.name()) + "</h3></summary><p class=\"members\">" + page.count(region.municipality_codes_size()) + " " +
                 map::escape_xml(page.word("municipalities")) + ": ";
    std::string names;
    for (const auto& code : region.municipality_codes()) {
      const auto index = dataset.municipality(code);
      names += (names.empty() ? "" : ", ") + (index ? dataset.municipality_at(*index).name() : code);
    }
    page.html += map::escape_xml(names) + "</p>";
    region_network(page, view, region.id());
    highlights(page, view, partition, region.id(), region.municipality_codes_size());
    indicator_rows(page, view, partition, region.id());
    legitimacy_rows(page, view, partition, region.id());
    lifecycle_block(page, view, region.id());
    page.html += "</details>\n";
  }
  page.html += "</div>";
  if (partition.unassigned_size() > 0) {
    std::string names;
    for (const auto& code : partition.unassigned()) {
      const auto index = dataset.municipality(code);
      names += (names.empty() ? "" : ", ") + (index ? dataset.municipality_at(*index).name() : code);
    }
    page.html += "<p class=\"muted\">" + map::escape_xml(page.word("unassigned")) + ": " + map::escape_xml(names) + "</p>";
  }
  page.html += "</section>\n";
}

// Each pair of partitions once: several steps may compare the same pair (the DUS step
// compares the BREs with the DUS regions, a comparison step every pair of its inputs);
// the measures do not depend on the step, so the first one shown stands for all.
void comparisons(Page& page, const RunView& view) {
  std::string rows;
  std::set<std::pair<std::string, std::string>> shown;
  for (const auto* step : view.succeeded) {
    for (const auto& c : step->artifacts().comparisons()) {
      const auto pair = std::minmax(c.partition_a(), c.partition_b());
      if (!shown.emplace(pair.first, pair.second).second) continue;
      rows += "<tr><td>" + map::escape_xml(c.partition_a()) + "</td><td>" + map::escape_xml(c.partition_b()) + "</td><td class=\"num\">" +
              page.decimal(c.nmi()) + "</td><td class=\"num\">" + page.decimal(c.adjusted_rand()) + "</td><td class=\"num\">" +
              page.decimal(c.variation_of_information()) + "</td></tr>";
    }
  }
  if (rows.empty()) return;
  page.html += "<section id=\"comparison\"><h2>" + map::escape_xml(page.word("comparison")) + "</h2><table><tr><th>" +
               map::escape_xml(page.word("partition_a")) + "</th><th>" + map::escape_xml(page.word("partition_b")) +
               "</th><th>NMI</th><th>ARI</th><th>VI</th></tr>" + rows + "</table></section>\n";
}

void legitimacy_summary(Page& page, const RunView& view) {
  std::string rows;
  for (const auto* step : view.succeeded) {
    for (const auto& result : step->artifacts().legitimacy()) {
      for (const auto& d : result.dimensions()) {
        rows += "<tr><td>" + map::escape_xml(dimension_label(d.dimension(), page)) + "</td><td class=\"num\">" +
                page.decimal(d.cronbach_alpha()) + "</td><td class=\"num\">" + page.decimal(d.anova_f()) + "</td><td class=\"num\">" +
                page.p_value(d.anova_p()) + "</td><td class=\"num\">" + page.decimal(d.eta_squared()) + "</td><td class=\"num\">" +
                page.decimal(d.kruskal_h()) + "</td><td class=\"num\">" + page.p_value(d.kruskal_p()) + "</td><td>" +
                map::escape_xml(for_readers(d.summary())) + "</td></tr>";
      }
    }
  }
  if (rows.empty()) return;
  page.html += "<section id=\"legitimacy-summary\"><h2>" + map::escape_xml(page.word("legitimacy_summary")) +
               "</h2><table><tr><th>" + map::escape_xml(page.word("dimension")) +
               "</th><th>α</th><th>F</th><th>p</th><th>η²</th><th>H</th><th>p</th><th></th></tr>" + rows +
               "</table></section>\n";
}

// One bar per outcome (intercept-only models): the ICC with its interval as a whisker,
// on a 0-100% axis, dark when the likelihood-ratio test gives p < 0.05; an outcome that
// could not be decomposed is named, without a bar.
std::string icc_chart(const Page& page, const v1::AnalysisResult& analysis) {
  std::vector<const v1::VarianceDecomposition*> rows;
  for (const auto& d : analysis.decompositions()) {
    if (d.model() == "intercept only") rows.push_back(&d);
  }
  const double width = 720, left = 260, right = 20, row_h = 26, top = 10;
  const double height = top + row_h * static_cast<double>(rows.size()) + 40;
  const double plot_w = width - left - right;
  auto x_of = [&](double share) { return left + std::clamp(share, 0.0, 1.0) * plot_w; };
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"icc-chart\" viewBox=\"0 0 " + svg_number(width) +
                    " " + svg_number(height) + "\" font-family=\"sans-serif\" font-size=\"11\">";
  const double axis_y = top + row_h * static_cast<double>(rows.size());
  for (int tick = 0; tick <= 100; tick += 25) {
    const double x = x_of(tick / 100.0);
    svg += "<line x1=\"" + svg_number(x) + "\" x2=\"" + svg_number(x) + "\" y1=\"" + svg_number(top) + "\" y2=\"" +
           svg_number(axis_y) + "\" stroke=\"#dde\"/><text x=\"" + svg_number(x) + "\" y=\"" + svg_number(axis_y + 14) +
           "\" text-anchor=\"middle\">" + page.percent(tick / 100.0) + "</text>";
  }
  svg += "<text x=\"" + svg_number(left + plot_w / 2) + "\" y=\"" + svg_number(axis_y + 30) + "\" text-anchor=\"middle\">" +
         map::escape_xml(page.word("icc_axis")) + "</text>";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& d = *rows[i];
    const double y = top + row_h * static_cast<double>(i);
    svg += "<text x=\"" + svg_number(left - 6) + "\" y=\"" + svg_number(y + row_h / 2 + 4) + "\" text-anchor=\"end\">" +
           map::escape_xml(d.label()) + "</text>";
    if (!d.fitted()) {
      svg += "<text x=\"" + svg_number(left + 4) + "\" y=\"" + svg_number(y + row_h / 2 + 4) + "\" fill=\"#8a4b00\">" +
             map::escape_xml(page.word("not_estimable")) + "</text>";
      continue;
    }
    svg += "<rect x=\"" + svg_number(left) + "\" y=\"" + svg_number(y + 6) + "\" width=\"" + svg_number(x_of(d.icc()) - left) +
           "\" height=\"" + svg_number(row_h - 12) + "\" fill=\"" + (d.lrt_p() < 0.05 ? "#15436b" : "#8fb0cf") +
           "\" data-outcome=\"" + map::escape_xml(d.outcome()) + "\"/>";
    const double mid = y + row_h / 2;
    svg += "<line x1=\"" + svg_number(x_of(d.icc_ci_low())) + "\" x2=\"" + svg_number(x_of(d.icc_ci_high())) + "\" y1=\"" +
           svg_number(mid) + "\" y2=\"" + svg_number(mid) + "\" stroke=\"#1d2733\" stroke-width=\"1.5\"/>";
    for (double end : {d.icc_ci_low(), d.icc_ci_high()}) {
      svg += "<line x1=\"" + svg_number(x_of(end)) + "\" x2=\"" + svg_number(x_of(end)) + "\" y1=\"" + svg_number(mid - 5) +
             "\" y2=\"" + svg_number(mid + 5) + "\" stroke=\"#1d2733\" stroke-width=\"1.5\"/>";
    }
  }
  return svg + "</svg>";
}

// The analysis step's answers, the ICC chart, the association table and the caveats.
void variation_section(Page& page, const RunView& view, const v1::Partition& partition) {
  const v1::AnalysisResult* analysis = nullptr;
  for (const auto* step : view.succeeded) {
    for (const auto& a : step->artifacts().analyses()) {
      if (analysis == nullptr && a.partition_name() == partition.name()) analysis = &a;
    }
  }
  if (analysis == nullptr) return;
  page.html += "<section id=\"variation\"><h2>" + map::escape_xml(page.word("variation")) + "</h2><p class=\"muted\">" +
               map::escape_xml(page.word("variation_intro")) + "</p>";
  for (const auto& sentence : analysis->answers()) page.html += "<p>" + map::escape_xml(for_readers(sentence)) + "</p>";
  page.html += "<figure class=\"chart\">" + icc_chart(page, *analysis) + "</figure>";
  if (analysis->associations_size() > 0) {
    page.html += "<table class=\"associations\"><tr><th>" + map::escape_xml(page.word("outcome")) + "</th><th>" +
                 map::escape_xml(page.word("characteristic")) + "</th><th>" + map::escape_xml(page.word("effect")) +
                 "</th><th>n</th><th>p</th><th>Holm</th><th>BH</th></tr>";
    for (const auto& a : analysis->associations()) {
      page.html += "<tr><td>" + map::escape_xml(a.outcome()) + "</td><td>" + map::escape_xml(a.characteristic()) + "</td>";
      if (!a.tested()) {
        page.html += "<td colspan=\"5\" class=\"muted\" title=\"" + map::escape_xml(a.note()) + "\">" +
                     map::escape_xml(page.word("not_tested")) + "</td></tr>";
        continue;
      }
      page.html += "<td class=\"num\">" + std::string(a.measure() == "spearman_rho" ? "ρ " : "Δ ") + page.decimal(a.effect()) +
                   "</td><td class=\"num\">" + page.count(a.n()) + "</td><td class=\"num\">" + page.p_value(a.p()) +
                   "</td><td class=\"num\">" + page.p_value(a.p_holm()) + "</td><td class=\"num\">" + page.p_value(a.p_bh()) +
                   "</td></tr>";
    }
    page.html += "</table>";
  }
  if (!analysis->power_note().empty()) page.html += "<p class=\"muted\">" + map::escape_xml(for_readers(analysis->power_note())) + "</p>";
  page.html += "<p class=\"muted\">" + map::escape_xml(page.word("variation_caveats")) + "</p></section>\n";
}

// Which analyses of the study ran on this dataset, which could not, and the data and
// command that would enable them: a report on real data must say what it is not.
void analyses(Page& page, const RunView& view, const v1::Partition& partition, const DatasetIndex& index) {
  const v1::Dataset& d = index.dataset();
  std::size_t without_population = 0;
  for (const auto& m : d.municipalities()) without_population += m.population() > 0 ? 0 : 1;
  std::set<int> indicator_years;
  for (const auto& v : d.indicator_values()) indicator_years.insert(v.year());
  std::size_t wellbeing_indicators = 0;
  for (const auto& a : d.area_indicators()) wellbeing_indicators += a.broad_wellbeing() ? 1 : 0;
  bool has_legitimacy = false, has_lifecycle = false, has_variation = false;
  for (const auto* step : view.succeeded) {
    has_legitimacy = has_legitimacy || step->artifacts().legitimacy_size() > 0;
    has_lifecycle = has_lifecycle || step->artifacts().lifecycle_size() > 0;
    has_variation = has_variation || step->artifacts().analyses_size() > 0;
  }
  const std::string add_indicators = "bre dataset add-indicators DATASET --table TABLE.csv --meta META.csv --out OUT";
  const std::string add_cases = "bre dataset add-cases DATASET --cases CASES.csv --out OUT";
  const std::string add_survey =
      "bre dataset add-survey DATASET --items ITEMS.csv --responses RESPONSES.csv --out OUT";
  std::string rows;
  // ran: the analysis' output is in the run; available: the dataset holds what it needs.
  // What is missing is said in words, then the command that adds it, as code.
  struct Text {
    std::string nl, en;
  };
  auto row = [&](const Text& name, bool ran, bool available, const Text& used, const Text& needed,
                 const std::string& command) {
    const std::string state = ran ? page.word("ran") : available ? page.word("not_in_pipeline") : page.word("not_run");
    const bool missing = !ran && !available;
    const Text& how = missing ? needed : used;
    rows += "<tr><td>" + map::escape_xml(page.pick(name.nl, name.en)) + "</td><td class=\"" + (ran ? "ran" : "not-run") +
            "\">" + map::escape_xml(state) + "</td><td>" + map::escape_xml(page.pick(how.nl, how.en)) +
            (missing && !command.empty() ? ": <code>" + map::escape_xml(command) + "</code>" : "") + "</td></tr>";
  };
  const std::string n_municipalities = page.count(d.municipalities_size());
  const std::string n_without = page.count(static_cast<double>(without_population));
  const std::string n_indicators = page.count(d.area_indicators_size());
  std::string years;
  if (!indicator_years.empty()) {
    years = " (" + std::to_string(*indicator_years.begin()) +
            (indicator_years.size() > 1 ? "–" + std::to_string(*indicator_years.rbegin()) : "") + ")";
  }
  const std::string n_wellbeing = page.count(static_cast<double>(wellbeing_indicators));
  const std::string n_cases = page.count(d.cases_size());
  const std::string n_responses = page.count(d.survey_responses_size());
  const std::string n_flows = page.count(d.commuting_flows_size());
  row({"Bevolkingsweging", "Population weighting"}, without_population == 0, without_population == 0,
      {n_municipalities + " gemeenten met inwonertal", n_municipalities + " municipalities with a population"},
      {n_without + " gemeenten zonder inwonertal, dus ongewogen gemiddelden; de import van nl2016 leest het uit de "
           "CBS-kerncijfers, of een metadatarij voor het inwonertal in",
       n_without + " municipalities without a population, so means are unweighted; the nl2016 import reads it from "
           "the CBS key figures, or a metadata row for the population in"},
      add_indicators);
  row({"Biotoop", "Biotope"}, table_for(view, partition, "biotope") != nullptr, d.area_indicators_size() > 0,
      {n_indicators + " gebiedsindicatoren" + years, n_indicators + " area indicators" + years},
      {"geen gebiedsindicatoren", "no area indicators"}, add_indicators);
  row({"Dagelijks stedelijk systeem", "Daily urban system"}, table_for(view, partition, "dus") != nullptr,
      d.commuting_flows_size() > 0, {n_flows + " pendelstromen", n_flows + " commuting flows"},
      {"geen pendelstromen in de dataset", "no commuting flows in the dataset"}, "");
  row({"Brede welvaart", "Broad well-being"}, table_for(view, partition, "broad_wellbeing") != nullptr,
      wellbeing_indicators > 0,
      {n_wellbeing + " indicatoren voor brede welvaart", n_wellbeing + " indicators of broad well-being"},
      {"geen indicator gemarkeerd als brede welvaart: inkomen, gezondheid, tevredenheid en dergelijke, gemarkeerd in "
       "de metadata (twee of meer jaren geven de trend)",
       "no indicator is marked as broad well-being: income, health, satisfaction and the like, marked in the "
       "metadata (two or more years give the trend)"},
      add_indicators);
  row({"Kwadrant", "Quadrant"}, table_for(view, partition, "quadrant") != nullptr,
      wellbeing_indicators > 0 && d.cases_size() > 0,
      {"brede welvaart en " + n_cases + " casussen", "broad well-being and " + n_cases + " cases"},
      {"vraagt brede welvaart (hierboven) en casuskenmerken over gestructureerde investering",
       "needs broad well-being (above) and case descriptors on structured investment"},
      add_cases);
  row({"Legitimiteit", "Legitimacy"}, has_legitimacy, d.survey_responses_size() > 0,
      {n_responses + " enquêteantwoorden", n_responses + " survey responses"},
      {"geen enquête onder volksvertegenwoordigers", "no survey of representatives"}, add_survey);
  row({"Levenscyclus", "Life cycle"}, has_lifecycle, d.cases_size() > 0, {n_cases + " casussen", n_cases + " cases"},
      {"geen casuskenmerken", "no case descriptors"}, add_cases);
  row({"Variatie tussen BRE's", "Variation between BREs"}, has_variation,
      d.survey_responses_size() > 0 || wellbeing_indicators > 0,
      {"legitimiteit en/of brede welvaart als uitkomst", "legitimacy and/or broad well-being as outcomes"},
      {"vraagt een enquête of brede welvaart (hierboven) als uitkomst", "needs a survey or broad well-being (above) as an outcome"},
      "");
  page.html += "<section id=\"analyses\"><h2>" + map::escape_xml(page.word("analyses")) + "</h2><table><tr><th>" +
               map::escape_xml(page.word("analysis")) + "</th><th>" + map::escape_xml(page.word("analysis_state")) +
               "</th><th>" + map::escape_xml(page.word("analysis_how")) + "</th></tr>" + rows + "</table></section>\n";
}

void notes(Page& page, const v1::RunResult& run) {
  std::string warnings;
  std::string failed;
  for (const auto& step : run.steps()) {
    for (const auto& w : step.artifacts().warnings()) warnings += "<li class=\"warning\">" + map::escape_xml(for_readers(w)) + "</li>";
    if (step.status() != v1::STEP_STATUS_SUCCEEDED) {
      failed += "<li>" + map::escape_xml(step.step_id()) + ": " + map::escape_xml(step.error()) + "</li>";
    }
  }
  if (warnings.empty() && failed.empty()) return;
  page.html += "<section id=\"notes\"><h2>" + map::escape_xml(page.word("warnings")) + "</h2>";
  if (!failed.empty()) page.html += "<h3>" + map::escape_xml(page.word("failed_steps")) + "</h3><ul>" + failed + "</ul>";
  if (!warnings.empty()) page.html += "<ul>" + warnings + "</ul>";
  page.html += "</section>\n";
}

void methods(Page& page, const v1::RunResult& run) {
  page.html += "<section id=\"methods\"><h2>" + map::escape_xml(page.word("methods")) + "</h2><h3>" +
               map::escape_xml(page.word("definitions")) + "</h3><ul>";
  for (const char* key : {"def_network", "def_bre", "def_scale", "def_confidence", "def_c1", "def_c2", "def_fi", "def_dus",
                          "def_biotope", "def_wellbeing", "def_quadrant", "def_legitimacy", "def_lifecycle",
                          "def_comparison", "def_numbers"}) {
    page.html += "<li>" + map::escape_xml(page.word(key)) + "</li>";
  }
  page.html += "</ul><h3>" + map::escape_xml(page.word("steps")) + "</h3><table><tr><th>" + map::escape_xml(page.word("step")) +
               "</th><th>" + map::escape_xml(page.word("plugin")) + "</th><th>" + map::escape_xml(page.word("parameters")) +
               "</th><th>" + map::escape_xml(page.word("seed")) + "</th></tr>";
  for (const auto& step : run.manifest().steps()) {
    std::string parameters;
    for (const auto& p : step.parameters()) {
      parameters += (parameters.empty() ? "" : "; ") + p.name() + " = " + to_display_string(p.value());
    }
    page.html += "<tr><td>" + map::escape_xml(step.step_id()) + "</td><td>" + map::escape_xml(step.plugin()) + " " +
                 map::escape_xml(step.plugin_version()) + "</td><td><code>" + map::escape_xml(parameters) +
                 "</code></td><td class=\"num\">" +
                 std::to_string(step.seed()) + "</td></tr>";
  }
  page.html += "</table>";
  // Each indicator's definition once, in the order first seen.
  std::map<std::string, bool> seen;
  std::string rows;
  for (const auto& step : run.steps()) {
    for (const auto& table : step.artifacts().tables()) {
      for (const auto& column : table.columns()) {
        if (column.doc().empty() || in_other_language(column, page) ||
            !seen.emplace(table.name() + "/" + column.id(), true).second) {
          continue;
        }
        rows += "<tr><td>" + table_title(page, table.name()) + "</td><td>" +
                map::escape_xml(column.label().empty() ? column.id() : column.label()) + "</td><td>" + map::escape_xml(for_readers(column.doc())) +
                "</td></tr>";
      }
    }
  }
  if (!rows.empty()) {
    page.html += "<h3>" + map::escape_xml(page.word("indicators")) + "</h3><table><tr><th></th><th>" +
                 map::escape_xml(page.word("indicator")) + "</th><th>" + map::escape_xml(page.word("definition")) + "</th></tr>" + rows +
                 "</table>";
  }
  page.html += "</section>\n";
}

}  // namespace

Expected<std::string> render_html_report(const v1::RunResult& run, const DatasetIndex& dataset,
                                         const ReportOptions& options) {
  RunView view{&run, {}};
  for (const auto& step : run.steps()) {
    if (step.status() == v1::STEP_STATUS_SUCCEEDED) view.succeeded.push_back(&step);
  }
  auto partition = chosen_partition(view, options);
  if (!partition) return partition.status();

  Page page(options.language);
  const std::string lang = options.language == Language::kDutch ? "nl" : "en";
  page.html += "<!DOCTYPE html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">";
  // Nothing may be fetched: styles are inline, images are inline SVG, and the one
  // inline script runs by its hash.
  page.html += "<meta http-equiv=\"Content-Security-Policy\" content=\"" + explore::content_security_policy() + "\">";
  page.html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
               map::escape_xml(page.word("title")) + " · " + map::escape_xml(run.manifest().dataset_name()) + "</title><style>";
  page.html += kStyle;
  page.html += explore::style();
  page.html += "</style></head><body>\n";
  const explore::Sources sources{&run, view.succeeded, *partition, &dataset, options.language};
  header(page, run);
  std::vector<std::pair<std::string, std::string>> sections = {{"maps", page.word("maps")},
                                                               {"regions", page.word("regions")}};
  bool has_comparison = false, has_legitimacy = false, has_variation = false;
  for (const auto* step : view.succeeded) {
    for (const auto& a : step->artifacts().analyses()) has_variation = has_variation || a.partition_name() == (*partition)->name();
    has_comparison = has_comparison || step->artifacts().comparisons_size() > 0;
    has_legitimacy = has_legitimacy || step->artifacts().legitimacy_size() > 0;
  }
  if (table_for(view, **partition, "scale_profile") != nullptr) sections.insert(sections.begin() + 1, {"scale", page.word("scale")});
  if (table_for(view, **partition, "biotope_spread") != nullptr) {
    sections.emplace_back("biotope-spread", page.word("biotope_spread"));
  }
  if (table_for(view, **partition, "quadrant") != nullptr) sections.emplace_back("quadrant", page.word("quadrant"));
  if (has_comparison) sections.emplace_back("comparison", page.word("comparison"));
  if (has_legitimacy) sections.emplace_back("legitimacy-summary", page.word("legitimacy_summary"));
  if (has_variation) sections.emplace_back("variation", page.word("variation"));
  sections.emplace_back("analyses", page.word("analyses"));
  sections.emplace_back("methods", page.word("methods"));
  for (auto& added : explore::sections(sources)) sections.push_back(std::move(added));
  navigation(page, sections);
  page.html += "<main>\n";
  maps(page, view, **partition, sources);
  scale_section(page, view, **partition);
  region_cards(page, view, **partition, dataset);
  biotope_spread_chart(page, view, **partition, dataset);
  quadrant_chart(page, view, **partition);
  comparisons(page, view);
  legitimacy_summary(page, view);
  variation_section(page, view, **partition);
  analyses(page, view, **partition, dataset);
  notes(page, run);
  methods(page, run);
  page.html += explore::tables_section(sources);
  page.html += explore::cite_section(sources, page.word("title"));
  page.html += "</main>\n";
  page.html += explore::data_island(sources);
  page.html += explore::script_element();
  page.html += "</body></html>\n";
  return std::move(page.html);
}

std::vector<PageText> page_texts() {
  std::vector<PageText> texts;
  // The page's own words and the script's: both are read by people on the page.
  for (const WordTable* table : {&dictionary(), &explore::words()}) {
    for (const auto& [key, words] : *table) texts.push_back({key, words.nl, words.en});
  }
  return texts;
}

}  // namespace bre::report
