// Where the proxy and the dashboard send anonymous visitors; the benchmark signs in through the API.
export default function LoginPage() {
  return (
    <main>
      <h1>Sign in</h1>
    </main>
  );
}
