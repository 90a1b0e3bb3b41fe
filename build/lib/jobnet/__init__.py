"""Jobnet self-booking service: the DFDG side of STAR's JobnetCitizenStatusService v10."""
