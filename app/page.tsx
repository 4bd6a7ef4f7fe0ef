export default function HomePage() {
  return (
    <main className="shell">
      <h1>Layerboard</h1>
    </main>
  );
}
