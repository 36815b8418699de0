import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listMailbox, splitLinks } from "@/lib/email/mailbox";
import { isProduction } from "@/lib/env";

export const metadata: Metadata = { title: "Development mailbox" };

const MESSAGES_SHOWN = 50;

const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

// This page opens the sealed outbox with AUTH_SECRET, live sign-in links included: it must not exist in production.
export default async function MailboxPage() {
  if (isProduction()) notFound();
  const messages = await listMailbox(MESSAGES_SHOWN);
  return (
    <main className="mx-auto w-full max-w-3xl flex-1 px-4 py-12 sm:px-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Development mailbox</h1>
        <span className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-800">Development only</span>
      </div>
      <p className="mt-2 text-sm text-zinc-600">
        Emails the app would have sent, newest first (the latest {MESSAGES_SHOWN}). Set <code className="font-mono text-xs">RESEND_API_KEY</code> to deliver them for real.
      </p>

      {messages.length === 0 ? (
        <p className="mt-10 rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center text-sm text-zinc-500">
          No messages yet. Create an account to receive one.
        </p>
      ) : (
        <ol className="mt-8 space-y-4">
          {messages.map((message) => (
            <li key={message.id}>
              <article aria-labelledby={`subject-${message.id}`} className="rounded-xl border border-zinc-200 bg-white shadow-sm">
                <header className="border-b border-zinc-100 px-5 py-4">
                  <h2 id={`subject-${message.id}`} className="font-medium text-zinc-900">
                    {message.subject}
                  </h2>
                  <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-500">
                    <div className="flex gap-1">
                      <dt>To</dt>
                      <dd className="text-zinc-700">{message.to}</dd>
                    </div>
                    <div className="flex gap-1">
                      <dt className="sr-only">Created</dt>
                      <dd>
                        <time dateTime={message.createdAt.toISOString()}>{timeFormat.format(message.createdAt)} UTC</time>
                      </dd>
                    </div>
                    <div className="flex gap-1">
                      <dt className="sr-only">Status</dt>
                      <dd>{message.sentAt ? "Sent" : "Not sent"}</dd>
                    </div>
                  </dl>
                </header>
                <p className="px-5 py-4 font-mono text-xs leading-5 break-words whitespace-pre-wrap text-zinc-700">
                  {splitLinks(message.text).map((part, index) =>
                    part.kind === "link" ? (
                      <a key={index} href={part.value} className="break-all text-indigo-600 underline underline-offset-2 hover:text-indigo-800">
                        {part.value}
                      </a>
                    ) : (
                      part.value
                    ),
                  )}
                </p>
              </article>
            </li>
          ))}
        </ol>
      )}
    </main>
  );
}
