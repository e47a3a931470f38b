import { useRef, type ReactNode } from 'react';

/** A button that opens the browser's file chooser (several files at once) and hands over what was picked. */
export function FilePicker({ accept, title, onFiles, children }: { accept: string; title: string; onFiles: (files: File[]) => void; children: ReactNode }) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => ref.current?.click()} title={title}>
        {children}
      </button>
      <input
        ref={ref}
        type="file"
        multiple
        hidden
        accept={accept}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          // Cleared so that choosing the same file again still fires a change.
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}
