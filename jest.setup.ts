// Shared by every test in the "unit" project. Node-environment tests load it too, so
// everything that touches the DOM is guarded by `typeof window !== 'undefined'`.
import '@testing-library/jest-dom';

if (typeof window !== 'undefined') {
  installDomPolyfills();
}

function installDomPolyfills(): void {
  // React Flow measures nodes with ResizeObserver and only shows them once measured.
  // Deliver the callback asynchronously, as browsers do; a synchronous callback inside
  // observe() leaves nodes hidden.
  if (!('ResizeObserver' in window)) {
    class ResizeObserverPolyfill implements ResizeObserver {
      private readonly callback: ResizeObserverCallback;
      private readonly targets = new Set<Element>();
      private timer: ReturnType<typeof setTimeout> | undefined;

      constructor(callback: ResizeObserverCallback) {
        this.callback = callback;
      }

      observe(target: Element): void {
        this.targets.add(target);
        this.schedule();
      }

      unobserve(target: Element): void {
        this.targets.delete(target);
      }

      disconnect(): void {
        this.targets.clear();
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
      }

      private schedule(): void {
        if (this.timer !== undefined) return;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          if (this.targets.size === 0) return;
          const entries = [...this.targets].map((target) => resizeEntry(target));
          this.callback(entries, this);
        }, 0);
      }
    }
    Object.defineProperty(window, 'ResizeObserver', {
      configurable: true,
      writable: true,
      value: ResizeObserverPolyfill,
    });
  }

  // React Flow reads the viewport transform through DOMMatrixReadOnly.
  if (!('DOMMatrixReadOnly' in window)) {
    class DOMMatrixReadOnlyPolyfill {
      readonly m22: number;
      readonly a: number;
      readonly d: number;
      readonly e: number;
      readonly f: number;

      constructor(transform?: string | number[]) {
        let scale = 1;
        let tx = 0;
        let ty = 0;
        if (typeof transform === 'string') {
          const s = transform.match(/scale\(([-\d.e]+)\)/);
          if (s) scale = Number(s[1]);
          const t = transform.match(/translate\(([-\d.e]+)px,\s*([-\d.e]+)px\)/);
          if (t) {
            tx = Number(t[1]);
            ty = Number(t[2]);
          }
        }
        this.a = scale;
        this.d = scale;
        this.m22 = scale;
        this.e = tx;
        this.f = ty;
      }
    }
    Object.defineProperty(window, 'DOMMatrixReadOnly', {
      configurable: true,
      writable: true,
      value: DOMMatrixReadOnlyPolyfill,
    });
  }

  // jsdom does no layout; give elements a size so React Flow considers nodes measured.
  // An inline style width/height wins, so a test can size an element explicitly.
  Object.defineProperties(window.HTMLElement.prototype, {
    offsetWidth: {
      configurable: true,
      get(this: HTMLElement) {
        return parseFloat(this.style.width) || 1;
      },
    },
    offsetHeight: {
      configurable: true,
      get(this: HTMLElement) {
        return parseFloat(this.style.height) || 1;
      },
    },
  });

  // Edge labels measure themselves with getBBox, which jsdom lacks.
  const svgProto = window.SVGElement.prototype as SVGElement & { getBBox?: () => DOMRect };
  if (!svgProto.getBBox) {
    svgProto.getBBox = () => new DOMRectReadOnlyLike(0, 0, 0, 0) as unknown as DOMRect;
  }

  // jsdom has no canvas: return null (as a browser without that context would) instead of
  // jsdom's "not implemented" error, which keeps tfjs's WebGL probe quiet.
  window.HTMLCanvasElement.prototype.getContext = function getContext() {
    return null;
  } as typeof HTMLCanvasElement.prototype.getContext;
}

function resizeEntry(target: Element): ResizeObserverEntry {
  const el = target as HTMLElement;
  const width = el.offsetWidth;
  const height = el.offsetHeight;
  const rect = new DOMRectReadOnlyLike(0, 0, width, height);
  const size = [{ inlineSize: width, blockSize: height }];
  return {
    target,
    contentRect: rect,
    borderBoxSize: size,
    contentBoxSize: size,
    devicePixelContentBoxSize: size,
  } as unknown as ResizeObserverEntry;
}

class DOMRectReadOnlyLike {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly width: number,
    readonly height: number,
  ) {}
  get top() {
    return this.y;
  }
  get left() {
    return this.x;
  }
  get right() {
    return this.x + this.width;
  }
  get bottom() {
    return this.y + this.height;
  }
  toJSON() {
    return { x: this.x, y: this.y, width: this.width, height: this.height };
  }
}
