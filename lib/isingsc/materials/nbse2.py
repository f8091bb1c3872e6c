"""Monolayer NbSe2: lattice constant (the substrate of the presets).

Source: single-crystal X-ray diffraction of 2H-NbSe2 at 15 K, "Nb-Nb
Interactions Define the Charge Density Wave Structure of 2H-NbSe2": average
undistorted Nb-Nb distance 3.4583(4) Å (record https://core.ac.uk/works/48728722/).
The often quoted room-temperature value is 3.44-3.45 Å; the difference (0.5%)
is irrelevant for the order-of-magnitude comparisons this preset serves.  The
superconducting model of :mod:`isingsc.model` itself only needs the number of
Nb sites per area.
"""
import math

__all__ = ["LATTICE_CONSTANT", "SITE_AREA", "SITES_PER_AREA"]

LATTICE_CONSTANT = 3.458  # Å, Nb-Nb distance (triangular lattice), 2H-NbSe2 at 15 K
SITE_AREA = 0.5 * math.sqrt(3.0) * LATTICE_CONSTANT**2  # Å^2 per Nb
SITES_PER_AREA = 1.0 / SITE_AREA  # Nb per Å^2
