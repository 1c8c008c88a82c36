// Ruru (the GraphQL IDE at /) opening with a user's Authorization header, so a
// request from it runs as that user at once instead of answering 401 until a
// header is pasted. `authorizationFor(as)` is given the `as` query parameter
// (`/?as=bob`; undefined without one) and returns the header value, or
// undefined to open Ruru without one. Development only (the demo): Ruru is not
// served in production.
export type RuruAuthorization = (as: string | undefined) => Promise<string | undefined>;

export function ruruHeadersPlugin(authorizationFor: RuruAuthorization): GraphileConfig.Plugin {
  return {
    name: 'RowscopeRuruHeadersPlugin',
    description: "opens Ruru with a user's Authorization header",
    version: '0.0.0',
    grafserv: {
      middleware: {
        async ruruHTML(next, event) {
          const params = await event.request.getQueryParams();
          const as = typeof params.as === 'string' && params.as !== '' ? params.as : undefined;
          const authorization = await authorizationFor(as);
          if (authorization) {
            // The page's RURU_CONFIG script is rendered before this middleware
            // runs (grafserv/middleware/graphiql.js), so the headers are set on
            // it by a script right after it. initialHeaders: what the headers
            // editor shows on opening (replacing one saved by an earlier visit).
            const headers = JSON.stringify(JSON.stringify({ Authorization: authorization }, null, 2)).replace(/</g, '\\u003c');
            event.htmlParts.configScript += `\n<script>RURU_CONFIG.initialHeaders = ${headers}; RURU_CONFIG.defaultHeaders = ${headers};</script>`;
          }
          return next();
        },
      },
    },
  };
}
