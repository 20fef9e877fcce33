/**
 * The emulator's small sign-in pages (authorization code and device code). Plain HTML, no
 * scripts, no external resources, so they work offline and in any test browser.
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Entra ID emulator</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { display: grid; place-items: center; min-height: 100vh; margin: 0; background: Canvas; color: CanvasText; }
  main { width: min(26rem, 92vw); padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: .5rem; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; margin: .8rem 0 .3rem; font-weight: 600; }
  input, select, button { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; }
  button { margin-top: 1.2rem; cursor: pointer; }
  .error { color: #c00; font-weight: 600; }
  .note { font-size: .85rem; opacity: .8; }
</style>
</head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
<p class="note">Microsoft Entra ID emulator · power-automate-admin-emulator. Test identities only.</p>
</main></body>
</html>
`
}

function hiddenFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n')
}

function userField(users: string[], selected: string | undefined): string {
  if (users.length === 0) {
    return `<label for="username">User</label><input id="username" name="username" autocomplete="username" required value="${escapeHtml(selected ?? '')}">`
  }
  const options = users
    .map(
      (upn) =>
        `<option value="${escapeHtml(upn)}"${upn === selected ? ' selected' : ''}>${escapeHtml(upn)}</option>`,
    )
    .join('')
  return `<label for="username">User</label><select id="username" name="username">${options}</select>`
}

export function signInPage(options: {
  action: string
  fields: Record<string, string>
  users: string[]
  selected?: string | undefined
  clientName: string
  error?: string | undefined
}): string {
  return page(
    'Sign in',
    `<p>Sign in to <strong>${escapeHtml(options.clientName)}</strong>.</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}">
${hiddenFields(options.fields)}
${userField(options.users, options.selected)}
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  )
}

export function deviceLoginPage(options: {
  action: string
  error?: string | undefined
  userCode?: string | undefined
}): string {
  return page(
    'Enter code',
    `<p>Enter the code shown by the application, then sign in.</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}">
<label for="user_code">Code</label><input id="user_code" name="user_code" required autocomplete="one-time-code" value="${escapeHtml(options.userCode ?? '')}">
${userField([], undefined)}
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Continue</button>
</form>`,
  )
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`)
}
