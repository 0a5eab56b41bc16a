// Sign-in through Keycloak: the authorization code flow with PKCE (S256). The access token lives in this tab's
// session storage only; the page never sees a password or a client secret.

export interface AuthConfig {
  keycloakUrl: string;
  realm: string;
  clientId: string;
}

const tokenKey = "billing.token";
const pendingKey = "billing.pending-login";

function base64Url(bytes: ArrayBuffer | Uint8Array): string {
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return btoa(String.fromCharCode(...array)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function endpoint(config: AuthConfig, path: string): string {
  return `${config.keycloakUrl.replace(/\/$/, "")}/realms/${config.realm}/protocol/openid-connect/${path}`;
}

const redirectUri = () => `${location.origin}/`;

export async function signIn(config: AuthConfig): Promise<void> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, returnTo: location.search }));
  const query = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    response_type: "code",
    scope: "openid email profile",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  location.assign(`${endpoint(config, "auth")}?${query}`);
}

/** Finishes a sign-in when Keycloak sent the browser back with a code; true when a token was obtained. */
export async function completeSignIn(config: AuthConfig): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? "null") as { verifier: string; state: string; returnTo: string } | null;
  if (!code || !pending || params.get("state") !== pending.state) {
    return false;
  }

  sessionStorage.removeItem(pendingKey);
  const response = await fetch(endpoint(config, "token"), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: config.clientId, redirect_uri: redirectUri(), code, code_verifier: pending.verifier }),
  });
  history.replaceState(null, "", `/${pending.returnTo}`);
  if (!response.ok) {
    return false;
  }

  const tokens = (await response.json()) as { access_token: string };
  sessionStorage.setItem(tokenKey, tokens.access_token);
  return true;
}

export function accessToken(): string | null {
  const token = sessionStorage.getItem(tokenKey);
  if (!token) {
    return null;
  }

  const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))) as { exp: number };
  return claims.exp * 1000 > Date.now() + 5000 ? token : null;
}

export function userEmail(): string | null {
  const token = accessToken();
  return token ? (JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))) as { email?: string }).email ?? null : null;
}

export function signOut(): void {
  sessionStorage.removeItem(tokenKey);
  location.assign("/");
}
