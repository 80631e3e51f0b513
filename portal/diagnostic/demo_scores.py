"""Scores of Intipucá's two demo assessments (indicator code -> 0-100, None = no
reportado, "na" = no aplica).

January 2012 reproduces the published figures: the five area scores, the Gestión
Financiera sub-areas, the Contabilidad indicators (gf02..gf14) and the five dimension
scores. April 2013 reproduces the published Resultado Global (80 / 70). Indicators the
published slides do not give were chosen to be consistent with those totals.
"""

SCORES = {
    "2012-01-15": {
        "ip01": 50, "ip02": 64, "ip03": 68, "ip04": 57, "ip05": 76, "ip06": 26, "ip07": 61, "ip08": 82,
        "ip09": 6, "ip10": 93, "ip11": 21, "ip12": 97, "ip13": 8, "ip14": 55, "ip15": 87, "ip16": 3,
        "ip17": 15, "gf01": 40, "gf03": 20, "gf04": 60, "gf02": 70, "gf05": 40, "gf06": 60, "gf08": 100,
        "gf09": 60, "gf11": 20, "gf12": 0, "gf13": 60, "gf14": 20, "gf07": 60, "gf10": 58, "gf15": 40,
        "gf16": 80, "gf17": 40, "gf18": 100, "gf19": 100, "gf20": 60, "gf21": 100, "gf22": 100, "gr01": 35,
        "gr02": 36, "gr03": 74, "gr04": 100, "gr05": 35, "gr06": 35, "gr07": 52, "gr08": 77, "gr09": 84,
        "gr10": 100, "gr11": 3, "gr12": 68, "gr13": 61, "gr14": 54, "gr15": 58, "ac01": 48, "ac02": 62,
        "ac03": 48, "ac04": 3, "ac05": 71, "ac06": 10, "ac07": None, "ac08": 15, "ac09": 37, "ac10": None,
        "ac11": 44, "ca01": 56, "ca02": 54, "ca03": 34, "ca04": 39, "ca05": 0, "ca06": 7, "ca07": 28,
        "ca08": 88, "ca09": 73, "ca10": 56, "ca11": 30, "ca12": 62, "ca13": 'na', "ca14": 53, "ca15": 0,
    },
    "2013-04-15": {
        "ip01": 73, "ip02": 94, "ip03": 100, "ip04": 85, "ip05": 100, "ip06": 38, "ip07": 57, "ip08": 90,
        "ip09": 59, "ip10": 100, "ip11": 37, "ip12": 98, "ip13": 40, "ip14": 72, "ip15": 82, "ip16": 38,
        "ip17": 50, "gf01": 81, "gf03": 21, "gf04": 75, "gf02": 99, "gf05": 66, "gf06": 100, "gf08": 96,
        "gf09": 86, "gf11": 67, "gf12": 36, "gf13": 86, "gf14": 58, "gf07": 99, "gf10": 55, "gf15": 90,
        "gf16": 84, "gf17": 77, "gf18": 100, "gf19": 100, "gf20": 100, "gf21": 100, "gf22": 100, "gr01": 57,
        "gr02": 67, "gr03": 80, "gr04": 91, "gr05": 63, "gr06": 80, "gr07": 100, "gr08": 77, "gr09": 95,
        "gr10": 94, "gr11": 47, "gr12": 100, "gr13": None, "gr14": 60, "gr15": 87, "ac01": 56, "ac02": 100,
        "ac03": 79, "ac04": 53, "ac05": 94, "ac06": 31, "ac07": None, "ac08": 20, "ac09": 42, "ac10": None,
        "ac11": 75, "ca01": 85, "ca02": 62, "ca03": 69, "ca04": 53, "ca05": 100, "ca06": 18, "ca07": 90,
        "ca08": 94, "ca09": 100, "ca10": 81, "ca11": 89, "ca12": 81, "ca13": 'na', "ca14": 98, "ca15": 54,
    },
}
