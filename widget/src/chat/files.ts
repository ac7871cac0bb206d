import type { OmnichatClient } from "../sdk/client";
import type { Attachment, FileRules } from "../sdk/types";
import type { Texts } from "./i18n";

/** "1.2 MB", "340 KB", "12 B". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Why the channel would refuse this file, checked before uploading (the server checks again); null when it may go. */
export function precheck(file: { name: string; size: number }, rules: FileRules | undefined, t: Texts): string | null {
  if (!rules) return null;
  if (!rules.enabled) return t.filesOff;
  if (file.size > rules.maxSizeBytes) return t.fileTooLarge((rules.maxSizeBytes / (1024 * 1024)).toFixed(rules.maxSizeBytes < 1024 * 1024 ? 2 : 0));
  const dot = file.name.lastIndexOf(".");
  const ext = dot > 0 ? file.name.slice(dot).toLowerCase() : "";
  if (ext && !rules.extensions.includes(ext)) return t.fileType;
  return null;
}

/**
 * Files need the session token, so images and downloads are fetched and shown through object URLs,
 * cached per file: re-rendering the list does not fetch again.
 */
export class FileCache {
  private readonly urls = new Map<string, string>();
  private readonly loading = new Map<string, Promise<string>>();

  constructor(private readonly client: OmnichatClient) {}

  /** The object URL at once when it is cached, else undefined and `then` is called when it arrives. */
  url(id: string, preview: boolean, then: (url: string) => void): string | undefined {
    const key = `${id}:${preview ? "p" : "f"}`;
    const ready = this.urls.get(key);
    if (ready) return ready;
    let promise = this.loading.get(key);
    if (!promise) {
      promise = this.client.downloadFile(id, preview).then((blob) => {
        const url = URL.createObjectURL(blob);
        this.urls.set(key, url);
        return url;
      });
      promise.catch(() => this.loading.delete(key));
      this.loading.set(key, promise);
    }
    promise.then(then, () => undefined);
    return undefined;
  }
}

/** An attachment in a message: an image preview (click opens the full image) or a download link. */
export function renderAttachment(doc: Document, a: Attachment, files: FileCache | undefined, t: Texts): HTMLElement {
  const link = doc.createElement("a");
  link.className = "oc-file";
  link.href = "#";
  link.dataset.attachment = a.id;
  // The file name is text: never parsed as HTML.
  link.setAttribute("aria-label", t.download(a.fileName, formatSize(a.size)));
  link.title = a.fileName;
  if (a.preview) {
    const img = doc.createElement("img");
    img.className = "oc-file-img";
    img.alt = a.fileName;
    if (a.width && a.height) {
      const scale = Math.min(1, 220 / a.width);
      img.width = Math.round(a.width * scale);
      img.height = Math.round(a.height * scale);
    }
    const now = files?.url(a.id, true, (url) => (img.src = url));
    if (now) img.src = now;
    link.append(img);
  } else {
    const name = doc.createElement("span");
    name.className = "oc-file-name";
    name.textContent = `📎 ${a.fileName}`;
    const size = doc.createElement("span");
    size.className = "oc-file-size";
    size.textContent = ` ${formatSize(a.size)}`;
    link.append(name, size);
  }
  link.addEventListener("click", (e) => {
    e.preventDefault();
    files?.url(a.id, false, (url) => {
      const save = doc.createElement("a");
      save.href = url;
      save.download = a.fileName;
      save.rel = "noopener";
      doc.body.append(save);
      save.click();
      save.remove();
    });
  });
  return link;
}
