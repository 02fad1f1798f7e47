"""Every router of the audit API, in the order they appear in the OpenAPI document."""

from services.audit.api import (access_routes, finding_routes, ledger_routes, report_routes, review_routes,
                                trail_routes, transparency_routes)

routers = [ledger_routes.router, transparency_routes.router, review_routes.router, finding_routes.router,
           report_routes.router, access_routes.router, trail_routes.router]
