"""The method in plain Danish: how shares, intervals, the non-response range, the
change and the verdicts are made. One text, shown by the report (its method note and
workbook sheet) and the dashboard, so both say the same as the README's method section.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.formatting import percent

REGION_NOTE = ("Regionerne har 9-28 kommuner, så intervallerne er brede. Målene i Bilag 3 "
               "gælder hele landet; ved regionerne er vurderingen kun til orientering.")

INTERVAL_METHODS = {
    "auto": ("De 98 kommuner, og kommunerne i hver CB-region, er en lille og kendt population. "
             "Derfor bruges et eksakt interval for udtræk uden tilbagelægning (hypergeometrisk): "
             "jo flere kommuner der har svaret, jo smallere er intervallet, og når alle har "
             "svaret, er intervallet selve andelen. For deltagergrupperne (de biblioteker, der "
             "har deltaget aktivt i et temaspor) kendes gruppens størrelse ikke, så der bruges "
             "Wilsons interval, som ikke kræver den."),
    "hypergeometric": ("Der bruges et eksakt interval for udtræk uden tilbagelægning "
                       "(hypergeometrisk) for de 98 kommuner og for hver CB-region. For "
                       "deltagergrupperne, hvis størrelse ikke kendes, bruges Wilsons interval."),
    "wilson": ("Der bruges Wilsons interval for alle indikatorer, uden korrektion for, at de "
               "98 kommuner er en lille, kendt population (intervallerne er derfor bredere end "
               "nødvendigt)."),
    "clopper-pearson": ("Der bruges det eksakte binomiale interval (Clopper-Pearson) for alle "
                        "indikatorer, uden korrektion for, at de 98 kommuner er en lille, kendt "
                        "population."),
}


def method_sections(manifest: Mapping) -> list[tuple[str, str]]:
    """The method note as (heading, paragraph) pairs, for the run in `manifest`."""
    params = manifest.get("parameters", {})
    level = percent(params.get("confidence", 0.95))
    method = INTERVAL_METHODS.get(params.get("ci_method", "auto"), INTERVAL_METHODS["auto"])
    return [
        ("Datagrundlag",
         "Tallene kommer fra den årlige spørgeskemaundersøgelse blandt de 98 folkebiblioteker "
         "(én besvarelse pr. kommune), fra nationale statistiktal (interurbanudlån og brug og "
         "brugere af licenserne) og fra de årlige vurderinger af, om værdien for borgere og "
         "samarbejdspartnere er sandsynliggjort. Rapporten er dannet af målopfyldelsesværktøjet "
         f"ud fra kørslen {manifest.get('created_utc', '?')} (UTC, version "
         f"{manifest.get('version', '?')}). Den beregner intet selv, men gengiver tallene fra "
         "værktøjets resultatfiler, de samme som dashboardet viser."),
        ("Andel positive",
         "For hver indikator, hvert år og hvert område er andelen positive antallet af "
         "biblioteker, der har givet et af indikatorens positive svar (fx \"Meget tilfreds\" "
         "eller \"Tilfreds\", \"I meget høj grad\" eller \"I høj grad\"), divideret med antallet "
         "af gyldige svar (n). \"Ved ikke\", \"Ikke relevant\" og blanke svar er ikke gyldige "
         "svar og tæller ikke med. For indikatorerne om deltagelse i et temaspor tæller kun de "
         "biblioteker, der har svaret ja til at have deltaget aktivt."),
        (f"{level}-konfidensinterval",
         "Intervallet viser usikkerheden på andelen, fordi ikke alle kommuner har svaret: det "
         f"er beregnet, så det med {level} sikkerhed indeholder den andel, man ville have fået, "
         f"hvis alle kommuner havde svaret. {method} "
         "Intervallet forudsætter, at de kommuner, der ikke har svaret, ligner dem, der har."),
        ("Frafaldsspænd",
         "Frafaldsspændet viser, hvad andelen ville være, hvis alle kommuner uden et gyldigt "
         "svar havde svaret negativt (nedre grænse) eller positivt (øvre grænse). Det er en "
         "ren optælling uden antagelser."),
        ("Vurdering af målet",
         "Et mål er opfyldt, når andelen er mindst lig med målet. Ligger hele "
         "konfidensintervallet over målet (eller under det), er vurderingen sikker. Ligger "
         "målet inden for intervallet, hviler vurderingen alene på den opgjorte andel og er "
         "markeret som usikker. Nationale tal og vurderinger har ingen stikprøveusikkerhed."),
        ("Resultatmål er bindende",
         "Et resultatmål er kun opfyldt i et år, hvis alle dets indikatorer med et mål for året "
         "er opfyldt. Én indikator, der ikke er opfyldt, gør resultatmålet ikke opfyldt. "
         "Mangler der tal for en indikator med et mål, er resultatmålet ufuldstændigt og kan "
         "ikke erklæres opfyldt. Indikatorer uden mål for året vises, men tæller ikke med."),
        ("Ændring fra sidste år",
         "Ændringen er forskellen i procentpoint fra året før med et konfidensinterval "
         "(Newcombes metode). Den behandler de to år som uafhængige stikprøver; da det er de "
         "samme kommuner, der svarer hvert år, er den snarere for forsigtig."),
        ("Nationale tal og vurderinger",
         "Interurbanudlånet er det samlede nationale tal, holdt op mod målet i Bilag 3, hvor "
         "der er et. Licensernes udvikling er positiv, når både den samlede brug og det samlede "
         "antal brugere steg fra året før; der sammenlignes kun licenser med tal i begge år. "
         "Værdien for borgere og samarbejdspartnere er vurderet som sandsynliggjort eller ikke "
         "sandsynliggjort, med den anførte begrundelse."),
        ("CB-regioner", REGION_NOTE),
        ("Dubletter og udeladte rækker",
         "Har en kommune svaret mere end én gang, tæller den seneste besvarelse. Dubletter og "
         "tomme besvarelser er udeladt og står i afsnittet om datakvalitet."),
        ("Afrunding",
         "Alle tal er beregnet med fuld præcision og vist afrundet til hele procent (ændringer "
         "til hele procentpoint)."),
    ]
