/**
 * The webcam, at the edge: open it, say clearly why it failed, and notice when it goes away
 * (`track.onended`: unplugged, taken by another app, permission revoked).
 */

/** Why the camera is not available. */
type CameraProblem = 'denied' | 'not-found' | 'in-use' | 'unsupported' | 'ended' | 'unknown';

/** A camera failure in the words the student reads: what happened and what to do. */
export interface CameraFailure {
  problem: CameraProblem;
  message: string;
  advice: string;
}

/** Maps a `getUserMedia` error (a DOMException by `name`) to a clear message and what to do (pure). */
export function describeCameraError(err: unknown): CameraFailure {
  const name =
    typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return {
        problem: 'denied',
        message: 'Camera permission was refused.',
        advice:
          'Click the camera icon in the address bar, allow the camera for this site, then press "Try again". Your teacher sees "Camera off" until then.',
      };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return {
        problem: 'not-found',
        message: 'No camera was found.',
        advice: 'Plug in a webcam (or turn it on), then press "Try again".',
      };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return {
        problem: 'in-use',
        message: 'The camera is in use by another program or could not start.',
        advice:
          'Close other apps or tabs that use the camera (video calls, camera app), then press "Try again".',
      };
    case 'TypeError':
      return {
        problem: 'unsupported',
        message: 'This browser cannot open the camera on this page.',
        advice: 'Open the link in an up-to-date Chrome, Edge or Firefox, over https.',
      };
    default:
      return {
        problem: 'unknown',
        message: 'The camera could not be opened.',
        advice: 'Check that a camera is connected and allowed for this site, then press "Try again".',
      };
  }
}

/** The failure shown when a running camera stops (`track.onended`). */
export const CAMERA_ENDED: CameraFailure = {
  problem: 'ended',
  message: 'The camera stopped (unplugged, switched off or taken by another program).',
  advice:
    'Reconnect the camera; this page starts again by itself as soon as it is back, or press "Try again".',
};

/** Opens the user-facing camera at a modest size (analysis does not need more). Throws a {@link CameraFailure}. */
export async function openCamera(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw describeCameraError({ name: 'TypeError' });
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } },
    });
  } catch (err) {
    throw describeCameraError(err);
  }
}

/** Calls `onEnded` once when any video track of `stream` ends. Returns an unsubscribe function. */
export function watchTracks(stream: MediaStream, onEnded: () => void): () => void {
  let fired = false;
  const handler = () => {
    if (fired) return;
    fired = true;
    onEnded();
  };
  const tracks = stream.getVideoTracks();
  for (const t of tracks) t.addEventListener('ended', handler);
  return () => {
    for (const t of tracks) t.removeEventListener('ended', handler);
  };
}

/** Stops every track of `stream` (the camera light goes off). */
export function stopStream(stream: MediaStream | null): void {
  for (const t of stream?.getTracks() ?? []) t.stop();
}

/** True when `value` is a {@link CameraFailure}. */
export function isCameraFailure(value: unknown): value is CameraFailure {
  return typeof value === 'object' && value !== null && 'problem' in value && 'advice' in value;
}

/**
 * Calls `onGranted` when the camera permission turns to `granted` (the student allowed it in the
 * browser's settings). Returns an unsubscribe function; does nothing where the Permissions API cannot
 * report the camera.
 */
export function watchCameraPermission(onGranted: () => void): () => void {
  let status: PermissionStatus | null = null;
  let stopped = false;
  const handler = () => {
    if (status?.state === 'granted') onGranted();
  };
  navigator.permissions
    ?.query({ name: 'camera' as PermissionName })
    .then((s) => {
      if (stopped) return;
      status = s;
      s.addEventListener('change', handler);
    })
    .catch(() => undefined);
  return () => {
    stopped = true;
    status?.removeEventListener('change', handler);
  };
}
