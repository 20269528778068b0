// Small behaviours shared by every page. No inline script: the CSP forbids it.
