import Editor from '@/components/Editor';

/** The editor fills the page. */
export default function HomePage() {
  return <Editor />;
}
