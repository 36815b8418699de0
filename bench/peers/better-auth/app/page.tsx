export default function HomePage() {
  return (
    <main>
      <h1>Better Auth peer</h1>
      <p>A public page.</p>
    </main>
  );
}
