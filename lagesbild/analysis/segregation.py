"""Residential segregation indices over areas (DeSO/RegSO). Pure Python, no Django.

Input: one (group, other) pair of head counts per area, e.g. foreign-born and native-born.
Definitions as in Massey & Denton (1988), "The dimensions of residential segregation":
  dissimilarity D = ½ Σ |gᵢ/G − oᵢ/O|
  isolation     xPx = Σ (gᵢ/G)(gᵢ/tᵢ)
  exposure      xPy = Σ (gᵢ/G)(oᵢ/tᵢ)   (isolation + exposure = 1 for two groups)
  Theil's H     H = Σ tᵢ (E − Eᵢ) / (T·E), with the entropy E = Σ −p ln p over the groups.
Areas with nobody living there are left out.
"""

from math import log


def _check(areas):
    areas = [(float(g), float(o)) for g, o in areas]
    for i, (g, o) in enumerate(areas):
        if g < 0 or o < 0:
            raise ValueError(f"område {i}: negativt antal")
    areas = [(g, o) for g, o in areas if g + o > 0]
    total_g = sum(g for g, _ in areas)
    total_o = sum(o for _, o in areas)
    if total_g == 0 or total_o == 0:
        raise ValueError("båda grupperna måste finnas i minst ett område")
    return areas, total_g, total_o


def dissimilarity(areas):
    areas, G, other = _check(areas)
    return 0.5 * sum(abs(g / G - o / other) for g, o in areas)


def isolation(areas):
    areas, G, _ = _check(areas)
    return sum((g / G) * (g / (g + o)) for g, o in areas)


def exposure(areas):
    areas, G, _ = _check(areas)
    return sum((g / G) * (o / (g + o)) for g, o in areas)


def _entropy(shares):
    return -sum(p * log(p) for p in shares if p > 0)


def theil_h(areas):
    areas, G, other = _check(areas)
    T = G + other
    E = _entropy((G / T, other / T))
    return sum((g + o) * (E - _entropy((g / (g + o), o / (g + o)))) for g, o in areas) / (T * E)
