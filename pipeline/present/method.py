"""The method in plain Danish: how shares, intervals, the non-response range, the
change and the verdicts are made. One text, shown by the report (its method note and
workbook sheet) and the dashboard, so both say the same as the README's method section.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.formatting import percent
from pipeline.present.words import run_time_text

REGION_NOTE = ("Regionerne har 9–28 kommuner, så intervallerne er brede. Målene i bilag 3 "
               "gælder hele landet; ved regionerne er vurderingen kun til orientering.")


EXACT_INTERVAL = (
    "De 98 kommuner, og kommunerne i hver CB-region, er en lille og kendt population. Derfor "
    "bruges et eksakt interval for udtræk uden tilbagelægning (hypergeometrisk) blandt de "
    "kommuner, der kan have et gyldigt svar: jo flere af dem der har svaret, desto smallere er "
    "intervallet, og når alle har svaret, er intervallet selve andelen. Det gælder også "
    "indikatorerne om deltagelse i et temaspor. Her regnes alle kommuner, hvis deltagelse ikke "
    "kendes, med som mulige deltagere, så intervallet er snarere for bredt end for smalt. "
    "Til sammenligning kan dashboardet vise Wilsons interval, som ikke tager hensyn til "
    "populationens størrelse.")
INTERVAL_METHODS = {
    "auto": EXACT_INTERVAL,
    "hypergeometric": EXACT_INTERVAL,
    "wilson": ("Der bruges Wilsons interval for alle indikatorer, uden hensyn til, at de "
               "98 kommuner er en lille, kendt population (intervallerne er derfor bredere end "
               "nødvendigt)."),
    "clopper-pearson": ("Der bruges det eksakte binomiale interval (Clopper-Pearson) for alle "
                        "indikatorer, uden hensyn til, at de 98 kommuner er en lille, kendt "
                        "population (intervallerne er derfor bredere end nødvendigt)."),
}


def method_sections(manifest: Mapping) -> list[tuple[str, str]]:
    """The method note as (heading, paragraph) pairs, for the run in `manifest`: the
    README's method section in plain Danish."""
    params = manifest.get("parameters", {})
    level = percent(params.get("confidence", 0.95))
    method = INTERVAL_METHODS.get(params.get("ci_method", "auto"), INTERVAL_METHODS["auto"])
    return [
        ("Datagrundlag",
         "Tallene kommer fra den årlige spørgeskemaundersøgelse blandt de 98 folkebiblioteker "
         "(én besvarelse pr. kommune), fra nationale statistiktal (interurbanudlån og brug og "
         "brugere af licenserne) og fra de årlige vurderinger af, om værdien for borgere og "
         "samarbejdspartnere er sandsynliggjort. Tallene er beregnet af "
         f"målopfyldelsesværktøjet ved kørslen den {run_time_text(manifest.get('created_utc'))} "
         f"(version {manifest.get('version', '?')})."),
        ("Andel positive",
         "For hver indikator, hvert år og hvert område er andelen positive antallet af "
         "biblioteker, der har givet et af indikatorens positive svar (fx »Meget tilfreds« "
         "eller »Tilfreds«, »I meget høj grad« eller »I høj grad«), divideret med antallet "
         "af gyldige svar (n). For indikatorerne om deltagelse i et temaspor tæller kun de "
         "biblioteker, der har svaret ja til at have deltaget aktivt."),
        ("Hvem kan have et svar",
         "Kommuner, der har svaret »Ved ikke« eller »Ikke relevant«, har intet gyldigt svar "
         "og hører ikke med til den gruppe, andelen handler om; det samme gælder ved "
         "indikatorerne om deltagelse de kommuner, der har svaret nej til at have deltaget. "
         "Kommuner, der ikke har svaret, eller som har sprunget spørgsmålet over, er ukendte; "
         "ved indikatorerne om deltagelse også de kommuner, der ikke har oplyst, om de har "
         "deltaget. Gruppen, andelen handler om, er de gyldige svar plus de ukendte."),
        (f"{level}-konfidensinterval",
         "Intervallet viser usikkerheden ved andelen, fordi ikke alle kommuner har svaret: det "
         f"er beregnet, så det med {level} sikkerhed indeholder den andel, man ville have fået, "
         f"hvis alle, der kan have et gyldigt svar, havde svaret. {method} "
         "Intervallet forudsætter, at de kommuner, der ikke har svaret, ligner dem, der har."),
        ("Frafaldsspænd",
         "Frafaldsspændet viser, hvad andelen ville være, hvis alle ukendte svar havde været "
         "negative (nedre grænse) eller positive (øvre grænse). Det er en ren optælling uden "
         "antagelser."),
        ("Vurdering af målet",
         "Et mål er opfyldt, når andelen er lig med eller større end måltallet. Ligger hele "
         "konfidensintervallet over målet (eller under det), er vurderingen statistisk sikker. "
         "Ligger målet inden for intervallet, hviler vurderingen alene på den opgjorte andel og "
         "er statistisk usikker. Ligger også hele frafaldsspændet på samme side af målet, "
         "holder vurderingen, uanset hvordan de manglende svar ville være faldet ud. Nationale "
         "tal og vurderinger har ingen stikprøveusikkerhed."),
        ("Resultatmål er bindende",
         "Et resultatmål er kun opfyldt i et år, hvis alle dets indikatorer med et mål for året "
         "er opfyldt. Én indikator, der ikke er opfyldt, gør resultatmålet ikke opfyldt. "
         "Mangler der tal for en indikator med et mål, er resultatmålet ufuldstændigt og kan "
         "ikke erklæres opfyldt. Indikatorer uden mål for året vises, men tæller ikke med. "
         "Vurderingen af et resultatmål er statistisk usikker, når mindst én af dets "
         "indikatorer med et mål er statistisk usikker, medmindre en anden af dem med sikkerhed "
         "ikke er opfyldt."),
        ("Ændring fra sidste år",
         "Ændringen er forskellen i procentpoint fra året før. Konfidensintervallet for "
         "ændringen er bygget af de to års egne konfidensintervaller, hvis usikkerheder lægges "
         "sammen i kvadrat (Newcombes metode). Derfor siger ændringen og de to års tal det "
         "samme: har alle svaret begge år, kendes ændringen præcist, og overlapper de to års "
         "intervaller ikke, omfatter intervallet for ændringen ikke 0. Der korrigeres ikke "
         "for, at det stort set er de samme kommuner, der svarer hvert år: når næsten alle "
         "svarer, afhænger usikkerheden af, hvilke kommuner der mangler, og ikke af, hvordan "
         "svarene hænger sammen fra år til år, og en sådan korrektion kan gøre intervallet for "
         "smalt. Det eksakte interval kan kun antage bestemte værdier (et helt antal kommuner "
         "ud af populationen), og derfor gøres intervallet for ændringen en halv kommune "
         "bredere i hver ende, dog aldrig bredere end de to års usikkerheder lagt direkte "
         "sammen. I en simulering med 98 kommuner dækker intervallet for ændringen da den "
         "sande ændring i mindst 95\u00a0% af tilfældene. Ved indikatorerne om deltagelse kan "
         "en del af ændringen skyldes, at det ikke er de samme biblioteker, der har deltaget "
         "begge år."),
        ("Nationale tal og vurderinger",
         "Interurbanudlånet er det samlede nationale tal, sammenholdt med måltallet i bilag 3 "
         "for de år, der har et. Bilag 3 fastsætter intet mål for udviklingen i brug og brugere af "
         "licenserne; brugen og antallet af brugere vises pr. licens med udviklingen fra året "
         "før og fra det første år, uden vurdering. Brugere af forskellige licenser lægges "
         "ikke sammen, fordi den samme person kan bruge flere licenser. Værdien for borgere og "
         "samarbejdspartnere er vurderet som sandsynliggjort eller ikke sandsynliggjort, med "
         "den anførte begrundelse."),
        ("År uden mål",
         "Et år, som rammeaftalens mål ikke dækker, vises uden vurdering."),
        ("CB-regioner", REGION_NOTE),
        ("Dubletter og udeladte rækker",
         "Har en kommune svaret mere end én gang, tæller den seneste besvarelse. Dubletter og "
         "tomme besvarelser er udeladt og står i afsnittet om datakvalitet. I en eksport fra "
         "SurveyXact tæller kun gennemførte besvarelser; besvarelser, der kun er delvist "
         "udfyldt, er frafaldet eller aldrig er påbegyndt, er udeladt med deres status."),
        ("Afrunding",
         "Alle tal er beregnet med fuld præcision og vist afrundet til hele procent (ændringer "
         "til hele procentpoint). Står en andel eller en intervalgrænse ved siden af målet, og "
         "ville den afrundet se ud som målet uden at være det, vises en decimal "
         "(fx 89,7\u00a0% ved et mål på 90\u00a0%)."),
    ]
