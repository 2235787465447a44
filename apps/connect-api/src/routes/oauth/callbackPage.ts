/**
 * The page a browser sees when a callback cannot be honoured (unknown, expired or replayed state). It echoes
 * nothing from the request, so it cannot be used to reflect content.
 */
export const INVALID_STATE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Connection link expired</title></head>
<body><h1>This connection link has expired or was already used</h1>
<p>Nothing was connected. Go back to your CRM and start the connection again.</p></body></html>`;
