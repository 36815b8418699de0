import Link from "next/link";
import { buttonClass } from "@/app/_components/button-styles";
import { getTokenUser } from "@/lib/auth/dal";

const features = [
  {
    title: "No tokens in JavaScript",
    body: "The browser holds two HttpOnly cookies and nothing else. Route handlers and server actions act as the backend for your frontend.",
  },
  {
    title: "Rotating refresh tokens",
    body: "Every refresh issues a new token. Replaying an old one ends the whole session family and records a security event.",
  },
  {
    title: "Verified at the edge",
    body: "Middleware checks short-lived ES256 access tokens without a database round trip, and refreshes them transparently.",
  },
  {
    title: "Postgres for everything shared",
    body: "Sessions, rate limits, one-time tokens and the email outbox live in the database, so any number of instances act as one.",
  },
  {
    title: "Forms without JavaScript",
    body: "Sign-up, sign-in, email confirmation and password reset are server actions: they work before hydration, and with scripts turned off.",
  },
  {
    title: "Calm under failure",
    body: "When the database is unreachable, people are told to try again, and nobody is signed out.",
  },
];

export default async function HomePage() {
  // Which buttons to offer: the token's word is enough (getTokenUser); /dashboard asks the database.
  const signedIn = (await getTokenUser()) !== null;
  return (
    <main className="flex-1">
      <section className="mx-auto grid max-w-5xl items-center gap-12 px-4 pt-20 pb-16 sm:px-6 sm:pt-24 lg:grid-cols-[1fr_24rem]">
        <div>
          <p className="inline-flex items-center rounded-full border border-zinc-200 bg-white px-3 py-1 text-xs font-medium text-zinc-600 shadow-xs">
            Open source · Next.js App Router
          </p>
          <h1 className="mt-6 max-w-3xl text-4xl font-semibold tracking-tight text-balance text-zinc-900 sm:text-5xl">
            The front door for your Next.js app.
          </h1>
          <p className="mt-5 max-w-2xl text-lg leading-8 text-pretty text-zinc-600">
            Doorman is an authentication base you clone and own: sign-up with email confirmation, sign-in, sessions
            that survive restarts and refresh themselves, all behind cookies that page scripts cannot read.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            {signedIn ? (
              <Link href="/dashboard" className={buttonClass()}>
                Go to your dashboard
              </Link>
            ) : (
              <>
                <Link href="/signup" className={buttonClass()}>
                  Create an account
                </Link>
                <Link href="/login" className={buttonClass({ variant: "secondary" })}>
                  Sign in
                </Link>
              </>
            )}
          </div>
        </div>
        <SignInResponse />
      </section>
      <section aria-labelledby="features" className="border-t border-zinc-200 bg-white">
        <div className="mx-auto max-w-5xl px-4 py-16 sm:px-6">
          <h2 id="features" className="text-sm font-semibold tracking-wide text-zinc-500 uppercase">
            What you get
          </h2>
          <ul className="mt-8 grid gap-x-8 gap-y-10 sm:grid-cols-2 lg:grid-cols-3">
            {features.map((feature) => (
              <li key={feature.title}>
                <h3 className="font-medium text-zinc-900">{feature.title}</h3>
                <p className="mt-2 text-sm leading-6 text-zinc-600">{feature.body}</p>
              </li>
            ))}
          </ul>
        </div>
      </section>
    </main>
  );
}

/** What a browser receives on sign-in: the whole point of Doorman in one picture. */
function SignInResponse() {
  return (
    <figure className="overflow-hidden rounded-xl border border-zinc-800 bg-zinc-950 shadow-xl">
      <div className="flex items-center gap-1.5 border-b border-zinc-800 px-4 py-3">
        <span className="size-2.5 rounded-full bg-zinc-700" />
        <span className="size-2.5 rounded-full bg-zinc-700" />
        <span className="size-2.5 rounded-full bg-zinc-700" />
        <span className="ml-2 text-xs text-zinc-400">POST /login</span>
      </div>
      <pre className="overflow-x-auto px-4 py-4 font-mono text-xs leading-6 text-zinc-300">
        <span className="text-emerald-400">HTTP/1.1 303 See Other</span>
        {"\n"}Location: /dashboard
        {"\n"}Set-Cookie: <span className="text-sky-300">__Host-doorman.at</span>=eyJhbGciOi…;
        {"\n"}  HttpOnly; Secure; SameSite=Lax; Path=/
        {"\n"}Set-Cookie: <span className="text-sky-300">__Host-doorman.rt</span>=Fe26.2**a91c…;
        {"\n"}  HttpOnly; Secure; SameSite=Lax; Path=/
      </pre>
      <figcaption className="border-t border-zinc-800 px-4 py-3 text-xs text-zinc-400">
        Two sealed cookies. Nothing for page scripts to read or steal.
      </figcaption>
    </figure>
  );
}
