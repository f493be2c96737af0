"""Request middleware, outermost first: trace, errors, security headers, CORS, body limit, auth,
rate limit, operation id (see `gateway.app`)."""
